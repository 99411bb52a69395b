using Portico.Configuration;
using Portico.DemoEngine;
using Portico.Tests.Functional.Authentication;
using Portico.Tests.Support;
using Portico.TestSupport;

namespace Portico.Tests.Functional.QlikApi;

/// <summary>
/// The demo engine serving Qlik's browser runtime from tests/clients' @qlik/api, behind one Portico
/// with a JWT virtual proxy and the anonymous default one; and a second JWT virtual proxy in front of
/// an engine without the runtime. Shared by the @qlik/api tests.
/// </summary>
public sealed class QlikApiFixture : IAsyncLifetime
{
    public const string JwtPrefix = "jwt";

    /// <summary>A JWT virtual proxy whose engine serves no /qlik-embed/main.js (404).</summary>
    public const string NoRuntimePrefix = "jwt-no-runtime";

    public DemoEngineServer Engine { get; private set; } = null!;

    public DemoEngineServer EngineWithoutRuntime { get; private set; } = null!;

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
        EngineWithoutRuntime = await DemoEngineServer.StartAsync(new DemoEngineOptions { NodeName = "no-runtime" });
        Portico = await PorticoTestHost.StartAsync(PorticoTestHost.BaseConfig(
            PorticoTestHost.AnonymousProxy("", Engine.BaseAddress),
            JwtProxy(JwtPrefix, Engine),
            JwtProxy(NoRuntimePrefix, EngineWithoutRuntime)));
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

        if (EngineWithoutRuntime is not null)
        {
            await EngineWithoutRuntime.DisposeAsync();
        }
    }

    private static VirtualProxyConfig JwtProxy(string prefix, DemoEngineServer engine) => new()
    {
        Prefix = prefix,
        SessionCookieHeaderName = "X-Qlik-Session-" + prefix,
        AuthenticationMethod = AuthenticationMethod.Jwt,
        JwtPublicKeyCertificate = TestTokens.PublicKeyPem,
        JwtAttributeUserId = "userId",
        JwtAttributeUserDirectory = "userDirectory",
        JwtAudience = "portico-tests",
        LoadBalancingServerNodes = [engine.BaseAddress.ToString().TrimEnd('/')],
    };
}
