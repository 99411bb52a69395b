using Portico.Configuration;
using Portico.DemoEngine;
using Portico.Tests.Support;
using Portico.TestSupport;

namespace Portico.Tests.Functional.Authentication.Saml;

/// <summary>One Portico with a SAML virtual proxy, the samlify identity provider it trusts, a demo engine, and the audit log in a file.</summary>
public sealed class SamlFixture : IAsyncLifetime
{
    public const string Prefix = "saml";
    public const string EntityId = "https://portico.test/saml";

    public DemoEngineServer Engine { get; private set; } = null!;

    public SamlIdentityProvider Idp { get; private set; } = null!;

    public PorticoTestHost Portico { get; private set; } = null!;

    public string AuditPath => Path.Combine(Portico.Directory, "audit", "portico-audit.jsonl");

    public async Task InitializeAsync()
    {
        var engine = DemoEngineServer.StartAsync(new DemoEngineOptions());
        Idp = await SamlIdentityProvider.StartAsync();
        Engine = await engine;

        // The ACS URL is built on samlHostUri, which names Portico's port: known once it listens.
        Portico = await PorticoTestHost.StartAsync(Config("https://localhost"));
        await Portico.ReloadAsync(Config($"https://localhost:{Portico.HttpsPort}"));

        using var client = Portico.CreateClient();
        await Idp.RegisterServiceProviderAsync(await client.GetStringAsync($"/{Prefix}/saml/metadata"));
    }

    public PorticoConfig Config(string hostUri) => PorticoTestHost.BaseConfig(new VirtualProxyConfig
    {
        Prefix = Prefix,
        SessionCookieHeaderName = "X-Qlik-Session-saml",
        AuthenticationMethod = AuthenticationMethod.Saml,
        LoadBalancingServerNodes = [Engine.BaseAddress.ToString().TrimEnd('/')],
        SamlMetadataIdP = Idp.Metadata,
        SamlHostUri = hostUri,
        SamlEntityId = EntityId,
        SamlAttributeUserDirectory = "[SAMLDEMO]",
        SamlAttributeMap = [new SamlAttributeMapping { SamlAttribute = "group", SenseAttribute = "group", IsMandatory = true }],
        SamlSlo = true,
    }) with
    {
        Listeners = new ListenersConfig { Https = new ListenerConfig { Address = "127.0.0.1", Port = Portico?.HttpsPort ?? 0 }, Http = null, QpsApi = null },
        Audit = new AuditConfig { Enabled = true, File = "audit/portico-audit.jsonl" },
    };

    public async Task DisposeAsync()
    {
        await Portico.DisposeAsync();
        await Idp.DisposeAsync();
        await Engine.DisposeAsync();
    }
}
