using Portico.Configuration;
using Portico.DemoEngine;
using Portico.Tests.Functional.Authentication;
using Portico.Tests.Support;

namespace Portico.Tests.Functional.Engines;

/// <summary>
/// Two engines as real deployments have them, and one Portico in front of both:
/// <list type="bullet">
/// <item>"sense": HTTPS, client certificate from Qlik's root CA required (Qlik Sense Enterprise);</item>
/// <item>"core": plain HTTP, a JWT signed by Portico's key required (Qlik Core).</item>
/// </list>
/// Portico's global engineConnection carries Qlik's exported files; virtual proxies override it:
/// "" (default, the global one), "core" (JWT logins, jwt mode), "impostor" (another CA's client
/// certificate), "pinned" (the engine's certificate pinned), "wrongpin" (another certificate pinned).
/// </summary>
public sealed class EngineTrustFixture : IAsyncLifetime
{
    public const string Issuer = "portico-engine-tests";

    public QlikCertificateFiles Certificates { get; } = new();

    public DemoEngineServer SenseEngine { get; private set; } = null!;

    public DemoEngineServer CoreEngine { get; private set; } = null!;

    public PorticoTestHost Portico { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        SenseEngine = await DemoEngineServer.StartAsync(new DemoEngineOptions
        {
            Url = "https://127.0.0.1:0",
            NodeName = "sense",
            ServerCertificate = Certificates.Server,
            ClientCertificateAuthority = Certificates.Root,
        });
        CoreEngine = await DemoEngineServer.StartAsync(new DemoEngineOptions { NodeName = "core", JwtPublicKeyPem = Certificates.SigningPublicKeyPem });
        Portico = await PorticoTestHost.StartAsync(Config(Certificates, SenseEngine.BaseAddress, CoreEngine.BaseAddress));
    }

    public static PorticoConfig Config(QlikCertificateFiles certificates, Uri senseEngine, Uri coreEngine)
    {
        var qlikFiles = new EngineConnectionConfig
        {
            ClientCertificatePath = certificates.ClientCertificatePath,
            ClientKeyPath = certificates.ClientKeyPath,
            TrustedRootPath = certificates.RootPath,
        };
        return PorticoTestHost.BaseConfig(
            PorticoTestHost.AnonymousProxy("", senseEngine),
            PorticoTestHost.AnonymousProxy("core", coreEngine) with
            {
                AnonymousAccessMode = AnonymousAccessMode.NoAnonymousUser,
                AuthenticationMethod = AuthenticationMethod.Jwt,
                JwtPublicKeyCertificate = TestTokens.PublicKeyPem,
                JwtAttributeUserId = "userId",
                JwtAttributeUserDirectory = "userDirectory",
                JwtAudience = "portico-tests",
                EngineConnection = new EngineConnectionConfig
                {
                    Authentication = EngineAuthentication.Jwt,
                    Jwt = new EngineJwtConfig { PrivateKeyPath = certificates.SigningKeyPath, Issuer = Issuer, LifetimeSeconds = 120 },
                },
            },
            PorticoTestHost.AnonymousProxy("impostor", senseEngine) with
            {
                EngineConnection = qlikFiles with { ClientCertificatePath = certificates.ImpostorClientPath, ClientKeyPath = certificates.ImpostorClientKeyPath },
            },
            PorticoTestHost.AnonymousProxy("pinned", senseEngine) with
            {
                EngineConnection = qlikFiles with { TrustedRootPath = null, TrustedServerThumbprints = [certificates.ServerSha256] },
            },
            PorticoTestHost.AnonymousProxy("wrongpin", senseEngine) with
            {
                EngineConnection = qlikFiles with { TrustedRootPath = null, TrustedServerThumbprints = [certificates.Root.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256)] },
            }) with
        {
            EngineConnection = qlikFiles,
        };
    }

    public async Task DisposeAsync()
    {
        await Portico.DisposeAsync();
        await SenseEngine.DisposeAsync();
        await CoreEngine.DisposeAsync();
        Certificates.Dispose();
    }
}
