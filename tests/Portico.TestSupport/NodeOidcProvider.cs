using System.Diagnostics;
using System.Text.Json;

namespace Portico.TestSupport;

/// <summary>The real provider: npm oidc-provider run by tests/clients/oidc/provider.mjs; killed (by its id) on dispose.</summary>
public sealed class NodeOidcProvider : IAsyncDisposable
{
    public const string ClientId = "portico";
    public const string ClientSecret = "portico-test-secret";

    private readonly Process _process;

    private NodeOidcProvider(Process process, string issuer)
    {
        _process = process;
        Issuer = issuer;
    }

    public string Issuer { get; }

    public string DiscoveryUrl => Issuer + "/.well-known/openid-configuration";

    public static async Task<NodeOidcProvider> StartAsync(OidcTestPki pki, IReadOnlyList<string> redirectUris, IReadOnlyList<string> postLogoutRedirectUris)
    {
        var clients = NodeClients.Shared;
        await clients.EnsureInstalledAsync();
        var input = JsonSerializer.Serialize(new
        {
            certPath = pki.ServerCertificatePath,
            keyPath = pki.ServerKeyPath,
            clientId = ClientId,
            clientSecret = ClientSecret,
            redirectUris,
            postLogoutRedirectUris,
        });
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = clients.ClientsDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("oidc/provider.mjs");
        start.ArgumentList.Add(input);
        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            if (line is null)
            {
                throw new InvalidOperationException("oidc/provider.mjs ended before listening: " + await process.StandardError.ReadToEndAsync(timeout.Token));
            }

            using var json = JsonDocument.Parse(line);
            return new NodeOidcProvider(process, json.RootElement.GetProperty("issuer").GetString()!);
        }
        catch
        {
            process.Kill();
            process.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
