using Portico.Configuration;
using Portico.DemoEngine;
using Portico.Tests.Functional.Authentication;
using Portico.Tests.Support;

namespace Portico.Tests.Functional.Audit;

/// <summary>One Portico with its audit log in a file, a virtual proxy per login method, its QPS API, and one demo engine.</summary>
public sealed class AuditFixture : IAsyncLifetime
{
    public DemoEngineServer Engine { get; private set; } = null!;

    public PorticoTestHost Portico { get; private set; } = null!;

    public PorticoConfig Config { get; private set; } = null!;

    public string AuditPath => Path.Combine(Portico.Directory, "audit", "portico-audit.jsonl");

    public async Task InitializeAsync()
    {
        Engine = await DemoEngineServer.StartAsync(new DemoEngineOptions());
        var node = Engine.BaseAddress.ToString().TrimEnd('/');
        Config = PorticoTestHost.BaseConfig(
            Proxy("ticket", node) with { AuthenticationMethod = AuthenticationMethod.Ticket },
            Proxy("jwt", node) with
            {
                AuthenticationMethod = AuthenticationMethod.Jwt,
                JwtPublicKeyCertificate = TestTokens.PublicKeyPem,
                JwtAttributeUserId = "userId",
                JwtAttributeUserDirectory = "userDirectory",
                JwtAudience = "portico-tests",
            },
            Proxy("faraway", node) with
            {
                AuthenticationMethod = AuthenticationMethod.HeaderStaticUserDirectory,
                HeaderAuthenticationHeaderName = "X-Portico-User",
                HeaderAuthenticationStaticUserDirectory = "DEMO",
                HeaderAuthenticationTrustedNetworks = ["10.0.0.0/8"],
            },
            Proxy("anon", node) with { AnonymousAccessMode = AnonymousAccessMode.AlwaysAnonymous }) with
        {
            Listeners = new ListenersConfig
            {
                Https = new ListenerConfig { Address = "127.0.0.1", Port = 0 },
                Http = null,
                QpsApi = new ListenerConfig { Address = "127.0.0.1", Port = 0 },
            },
            QpsApi = new QpsApiConfig { TrustDevelopmentCa = true },
            Audit = new AuditConfig { Enabled = true, File = "audit/portico-audit.jsonl" },
        };
        Portico = await PorticoTestHost.StartAsync(Config);
    }

    public async Task DisposeAsync()
    {
        await Portico.DisposeAsync();
        await Engine.DisposeAsync();
    }

    private static VirtualProxyConfig Proxy(string prefix, string node) => new()
    {
        Prefix = prefix,
        SessionCookieHeaderName = "X-Qlik-Session-" + prefix,
        LoadBalancingServerNodes = [node],
    };
}
