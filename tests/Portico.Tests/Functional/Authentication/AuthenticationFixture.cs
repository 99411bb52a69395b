using Portico.Configuration;
using Portico.DemoEngine;
using Portico.Tests.Support;

namespace Portico.Tests.Functional.Authentication;

/// <summary>One Portico with a virtual proxy per authentication method, its QPS API, and one demo engine.</summary>
public sealed class AuthenticationFixture : IAsyncLifetime
{
    public DemoEngineServer Engine { get; private set; } = null!;

    public PorticoTestHost Portico { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Engine = await DemoEngineServer.StartAsync(new DemoEngineOptions());
        var node = Engine.BaseAddress;
        var config = PorticoTestHost.BaseConfig(
            Proxy("ticket", node) with { AuthenticationMethod = AuthenticationMethod.Ticket },
            Proxy("ticket2", node) with { AuthenticationMethod = AuthenticationMethod.Ticket },
            Proxy("jwt", node) with
            {
                AuthenticationMethod = AuthenticationMethod.Jwt,
                JwtPublicKeyCertificate = TestTokens.PublicKeyPem,
                JwtAttributeUserId = "userId",
                JwtAttributeUserDirectory = "userDirectory",
                JwtAudience = "portico-tests",
            },
            Proxy("header", node) with
            {
                AuthenticationMethod = AuthenticationMethod.HeaderStaticUserDirectory,
                HeaderAuthenticationHeaderName = "X-Portico-User",
                HeaderAuthenticationStaticUserDirectory = "DEMO",
                HeaderAuthenticationTrustedNetworks = ["127.0.0.1/32", "::1/128"],
            },
            Proxy("dynamic", node) with
            {
                AuthenticationMethod = AuthenticationMethod.HeaderDynamicUserDirectory,
                HeaderAuthenticationHeaderName = "X-Portico-User",
                HeaderAuthenticationDynamicUserDirectory = "$ud\\$id",
            },
            Proxy("faraway", node) with
            {
                AuthenticationMethod = AuthenticationMethod.HeaderStaticUserDirectory,
                HeaderAuthenticationHeaderName = "X-Portico-User",
                HeaderAuthenticationStaticUserDirectory = "DEMO",
                HeaderAuthenticationTrustedNetworks = ["10.0.0.0/8"],
            },
            Proxy("anon", node) with { AnonymousAccessMode = AnonymousAccessMode.AllowAnonymous }) with
        {
            Listeners = new ListenersConfig
            {
                Https = new ListenerConfig { Address = "127.0.0.1", Port = 0 },
                Http = null,
                QpsApi = new ListenerConfig { Address = "127.0.0.1", Port = 0 },
            },
            QpsApi = new QpsApiConfig { TrustDevelopmentCa = true },
        };
        Portico = await PorticoTestHost.StartAsync(config);
    }

    public async Task DisposeAsync()
    {
        await Portico.DisposeAsync();
        await Engine.DisposeAsync();
    }

    private static VirtualProxyConfig Proxy(string prefix, Uri node) => new()
    {
        Prefix = prefix,
        SessionCookieHeaderName = "X-Qlik-Session-" + prefix,
        LoadBalancingServerNodes = [node.ToString().TrimEnd('/')],
    };
}
