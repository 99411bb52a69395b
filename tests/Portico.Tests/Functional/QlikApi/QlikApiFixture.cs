using Portico.Configuration;
using Portico.DemoEngine;
using Portico.Tests.Functional.Authentication;
using Portico.Tests.Support;
using Portico.TestSupport;

namespace Portico.Tests.Functional.QlikApi;

/// <summary>
/// The demo engine serving Qlik's browser runtime from tests/clients' @qlik/api, behind one Portico
/// with a JWT virtual proxy and the anonymous default one: shared by the @qlik/api tests.
/// </summary>
public sealed class QlikApiFixture : IAsyncLifetime
{
    public const string JwtPrefix = "jwt";

    public DemoEngineServer Engine { get; private set; } = null!;

    public PorticoTestHost Portico { get; private set; } = null!;

    public string Host(string prefix) => $"https://localhost:{Portico.HttpsPort}" + (prefix.Length == 0 ? "" : "/" + prefix);

    public async Task InitializeAsync()
    {
        await NodeClients.Shared.EnsureInstalledAsync();
        Engine = await DemoEngineServer.StartAsync(new DemoEngineOptions
        {
            NodeName = "qlik-api",
            QlikApiPackage = Path.Combine(NodeClients.Shared.ClientsDirectory, "node_modules", "@qlik", "api"),
        });
        var node = Engine.BaseAddress.ToString().TrimEnd('/');
        Portico = await PorticoTestHost.StartAsync(PorticoTestHost.BaseConfig(
            PorticoTestHost.AnonymousProxy("", Engine.BaseAddress),
            new VirtualProxyConfig
            {
                Prefix = JwtPrefix,
                SessionCookieHeaderName = "X-Qlik-Session-" + JwtPrefix,
                AuthenticationMethod = AuthenticationMethod.Jwt,
                JwtPublicKeyCertificate = TestTokens.PublicKeyPem,
                JwtAttributeUserId = "userId",
                JwtAttributeUserDirectory = "userDirectory",
                JwtAudience = "portico-tests",
                LoadBalancingServerNodes = [node],
            }));
    }

    public async Task DisposeAsync()
    {
        if (Portico is not null)
        {
            await Portico.DisposeAsync();
        }

        if (Engine is not null)
        {
            await Engine.DisposeAsync();
        }
    }
}
