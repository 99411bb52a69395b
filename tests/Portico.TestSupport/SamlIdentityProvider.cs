using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;

namespace Portico.TestSupport;

/// <summary>
/// The samlify identity provider of <c>tests/clients/saml/idp.mjs</c>, running under node on
/// 127.0.0.1 for one test class. Its signing key is made here, so tests can also sign what a real
/// identity provider would (and what an attacker with another key would).
/// </summary>
public sealed class SamlIdentityProvider : IAsyncDisposable
{
    private readonly Process _process;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private SamlIdentityProvider(Process process, RSA key, X509Certificate2 certificate, int port, string metadata)
    {
        _process = process;
        SigningKey = key;
        Certificate = certificate;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        Metadata = metadata;
    }

    /// <summary>The identity provider's private key (tests sign crafted responses with it).</summary>
    public RSA SigningKey { get; }

    public X509Certificate2 Certificate { get; }

    public Uri BaseAddress { get; }

    /// <summary>The identity provider's metadata XML: what an admin pastes into samlMetadataIdP.</summary>
    public string Metadata { get; }

    public static async Task<SamlIdentityProvider> StartAsync(string? signatureAlgorithm = null)
    {
        var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=Portico test IdP", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        var input = new JsonObject
        {
            ["privateKeyPem"] = key.ExportPkcs8PrivateKeyPem(),
            ["certificatePem"] = certificate.ExportCertificatePem(),
            ["signatureAlgorithm"] = signatureAlgorithm ?? "sha256",
        };

        var clients = NodeClients.Shared;
        await clients.EnsureInstalledAsync().ConfigureAwait(false);
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = clients.ClientsDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine("saml", "idp.mjs"));
        start.ArgumentList.Add(input.ToJsonString());
        var process = Process.Start(start)!;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The SAML identity provider ended before it was ready: " + await process.StandardError.ReadToEndAsync(timeout.Token).ConfigureAwait(false));
            var ready = JsonNode.Parse(line)!;
            return new SamlIdentityProvider(process, key, certificate, (int)ready["port"]!, (string)ready["metadata"]!);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>Gives the identity provider Portico's SP metadata (as an admin uploads it).</summary>
    public async Task RegisterServiceProviderAsync(string spMetadata)
    {
        using var response = await _http.PostAsync(new Uri(BaseAddress, "sp"), new StringContent(spMetadata)).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Follows Portico's AuthnRequest redirect as <paramref name="login"/> and returns the signed response the IdP would post.</summary>
    public async Task<SamlPost> SignInAsync(Uri authnRequestRedirect, string login = "alice")
    {
        var url = authnRequestRedirect.AbsoluteUri + "&format=json&login=" + Uri.EscapeDataString(login);
        var post = await _http.GetFromJsonAsync<JsonObject>(url).ConfigureAwait(false) ?? throw new InvalidOperationException("No answer from the IdP.");
        return new SamlPost(new Uri((string)post["acs"]!), (string)post["samlResponse"]!, (string?)post["relayState"]);
    }

    /// <summary>The NameIDs of the LogoutRequests the identity provider received.</summary>
    public async Task<IReadOnlyList<string?>> LogoutsAsync()
    {
        var list = await _http.GetFromJsonAsync<JsonArray>(new Uri(BaseAddress, "logouts")).ConfigureAwait(false);
        return [.. list!.Select(n => (string?)n)];
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        try
        {
            // Closing stdin ends the script; the kill is for a script that does not.
            _process.StandardInput.Close();
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
        finally
        {
            _process.Dispose();
            SigningKey.Dispose();
            Certificate.Dispose();
        }
    }
}

/// <summary>What the identity provider posts to the ACS.</summary>
public sealed record SamlPost(Uri Acs, string SamlResponse, string? RelayState);
