using System.Net;
using System.Text.Json;
using Portico.Configuration;
using Portico.DemoEngine;
using Portico.Tests.Support;
using Portico.TestSupport;

namespace Portico.Tests.Functional.Authentication.Oidc;

/// <summary>
/// One Portico with two OIDC virtual proxies: "sso" logs in at the real oidc-provider, "fake" at a
/// provider whose id_tokens the tests craft. The real provider needs Portico's redirect URI, so
/// Portico starts first and "sso" gets the provider's URL by a configuration reload.
/// </summary>
public sealed class OidcFixture : IAsyncLifetime
{
    public OidcTestPki Pki { get; } = new();

    public DemoEngineServer Engine { get; private set; } = null!;

    public FakeOidcProvider Fake { get; private set; } = null!;

    public NodeOidcProvider Provider { get; private set; } = null!;

    public PorticoTestHost Portico { get; private set; } = null!;

    /// <summary>A virtual proxy at the fake provider whose key cache only the key-rotation test uses.</summary>
    public const string RotatingPrefix = "fakerotate";

    private string RotatingCaPath => Path.Combine(Pki.Directory, "rotating-ca.pem");

    public string AuditPath => Path.Combine(Portico.Directory, "audit", "portico-audit.jsonl");

    public async Task InitializeAsync()
    {
        Engine = await DemoEngineServer.StartAsync(new DemoEngineOptions());
        Fake = await FakeOidcProvider.StartAsync(Pki.Server);
        File.Copy(Pki.CaPath, RotatingCaPath);
        var node = Engine.BaseAddress.ToString().TrimEnd('/');
        Portico = await PorticoTestHost.StartAsync(Config(node, "https://localhost:1/.well-known/openid-configuration"));
        var sso = $"https://localhost:{Portico.HttpsPort}/sso/";
        Provider = await NodeOidcProvider.StartAsync(Pki, [sso + "oidc/callback"], [sso]);
        await Portico.ReloadAsync(Config(node, Provider.DiscoveryUrl));
    }

    public async Task DisposeAsync()
    {
        await Portico.DisposeAsync();
        await Provider.DisposeAsync();
        await Fake.DisposeAsync();
        await Engine.DisposeAsync();
        Pki.Dispose();
    }

    /// <summary>A client that trusts Portico's CA and the providers' (a test's browser), with its own cookies.</summary>
    public HttpClient Browser(CookieContainer? cookies = null)
    {
        var portico = TlsTrust.For(Portico.CaPath);
        var provider = TlsTrust.For(Pki.CaPath);
        var client = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = true,
            CookieContainer = cookies ?? new CookieContainer(),
            SslOptions = new System.Net.Security.SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (s, c, ch, e) => portico(s, c, ch, e) || provider(s, c, ch, e) },
        })
        { Timeout = TimeSpan.FromSeconds(20) };
        client.BaseAddress = Portico.BaseAddress;
        return client;
    }

    /// <summary>Waits for the oidc.refused event with this reason, and returns it.</summary>
    public Task<JsonElement> RefusalAsync(string reason) =>
        AuditFile.WaitForAsync(AuditPath, e => e.GetProperty("event").GetString() == "oidc.refused" && e.TryGetProperty("reason", out var r) && r.GetString() == reason, "oidc.refused " + reason);

    private PorticoConfig Config(string node, string ssoDiscovery) => PorticoTestHost.BaseConfig(
        Proxy("sso", node) with
        {
            OidcConfigurationEndpointUri = ssoDiscovery,
            OidcClientId = NodeOidcProvider.ClientId,
            OidcClientSecret = NodeOidcProvider.ClientSecret,
            OidcScope = "openid profile email groups",
        },
        Proxy("fake", node) with
        {
            OidcConfigurationEndpointUri = Fake.DiscoveryUrl,
            OidcClientId = FakeOidcProvider.ClientId,
            OidcClientSecret = "fake-secret",
        },
        // The same provider under another CA file path: a key cache of its own (keyed by endpoint and CA file).
        Proxy(RotatingPrefix, node) with
        {
            OidcConfigurationEndpointUri = Fake.DiscoveryUrl,
            OidcClientId = FakeOidcProvider.ClientId,
            OidcClientSecret = "fake-secret",
            OidcTrustedCaFile = RotatingCaPath,
        }) with
    {
        Listeners = new ListenersConfig { Https = new ListenerConfig { Address = "127.0.0.1", Port = 0 }, Http = null, QpsApi = null },
        Audit = new AuditConfig { Enabled = true, File = "audit/portico-audit.jsonl" },
    };

    private VirtualProxyConfig Proxy(string prefix, string node) => new()
    {
        Prefix = prefix,
        SessionCookieHeaderName = "X-Qlik-Session-" + prefix,
        LoadBalancingServerNodes = [node],
        AuthenticationMethod = AuthenticationMethod.Oidc,
        OidcRealm = "IDP",
        OidcTrustedCaFile = Pki.CaPath,
    };
}
