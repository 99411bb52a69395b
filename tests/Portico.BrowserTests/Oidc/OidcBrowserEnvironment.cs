using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Portico.DemoEngine;
using Portico.Samples;
using Portico.TestSupport;

namespace Portico.BrowserTests.Oidc;

/// <summary>
/// Portico (as a process) with an OIDC virtual proxy "sso", the real provider (npm oidc-provider)
/// it logs in at, a demo engine, and headless Chromium that trusts exactly Portico's and the
/// provider's server keys.
/// </summary>
public sealed class OidcBrowserEnvironment : IAsyncLifetime
{
    public const string Prefix = "sso";

    private DemoEngineServer? _engine;
    private PorticoProcess? _portico;
    private IPlaywright? _playwright;

    public OidcTestPki Pki { get; } = new();

    public NodeOidcProvider Provider { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public int PorticoPort { get; private set; }

    public string PorticoUrl => $"https://localhost:{PorticoPort}/";

    public async Task InitializeAsync()
    {
        if (!File.Exists(MashupEnvironment.ChromiumPath))
        {
            throw new InvalidOperationException($"{MashupEnvironment.ChromiumPath} is missing: install Debian's Chromium (test.sh does).");
        }

        _engine = await DemoEngineServer.StartAsync(new DemoEngineOptions { NodeName = "oidc-browser-tests" });

        // The provider must know Portico's redirect URI and Portico the provider's URL, so
        // Portico's port is picked first; should another program take it meanwhile, both start again.
        for (var attempt = 1; ; attempt++)
        {
            PorticoPort = FreePorts.Loopback();
            var sso = $"{PorticoUrl}{Prefix}/";
            Provider = await NodeOidcProvider.StartAsync(Pki, [sso + "oidc/callback"], [sso]);
            try
            {
                _portico = await PorticoProcess.StartAsync(Config(), TimeSpan.FromSeconds(60));
                break;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                await Provider.DisposeAsync();
            }
        }

        using var porticoCertificate = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(_portico.DataDirectory, "portico-dev-server.pem"));
        _playwright = await Playwright.CreateAsync();
        Browser = await HeadlessChromium.LaunchAsync(_playwright, hostResolverRules: null, SampleCertificate.SpkiHash(porticoCertificate), SampleCertificate.SpkiHash(Pki.Server));
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_portico is not null)
        {
            await _portico.DisposeAsync();
        }

        if (Provider is not null)
        {
            await Provider.DisposeAsync();
        }

        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }

        Pki.Dispose();
    }

    private string Config() => new JsonObject
    {
        ["publicHost"] = $"localhost:{PorticoPort}",
        ["listeners"] = new JsonObject
        {
            ["https"] = new JsonObject { ["address"] = "127.0.0.1", ["port"] = PorticoPort },
            ["http"] = null,
            ["qpsApi"] = null,
        },
        ["dataDirectory"] = "data",
        ["demoEngine"] = new JsonObject { ["enabled"] = false },
        ["virtualProxies"] = new JsonArray(new JsonObject
        {
            ["prefix"] = Prefix,
            ["sessionCookieHeaderName"] = "X-Qlik-Session-sso",
            ["authenticationMethod"] = "OIDC",
            ["loadBalancingServerNodes"] = new JsonArray(_engine!.BaseAddress.ToString().TrimEnd('/')),
            ["oidcConfigurationEndpointUri"] = Provider.DiscoveryUrl,
            ["oidcClientId"] = NodeOidcProvider.ClientId,
            ["oidcClientSecret"] = NodeOidcProvider.ClientSecret,
            ["oidcRealm"] = "IDP",
            ["oidcScope"] = "openid profile email groups",
            ["oidcTrustedCaFile"] = Pki.CaPath,
        }),
    }.ToJsonString();
}
