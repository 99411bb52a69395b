using Portico.Configuration;
using Portico.Tests.Support;

namespace Portico.Tests.Unit.Configuration;

/// <summary>Engine connection settings are refused before they take effect, each error naming the field and the fix.</summary>
public sealed class EngineConnectionRulesTests(QlikCertificateFixture files) : IClassFixture<QlikCertificateFixture>
{
    private const string HttpsNode = "https://qlik-engine.example.test:4747";

    private QlikCertificateFiles Certificates => files.Certificates;

    [Fact]
    public void Validate_QliksExportedFilesAsTheyAre_AreAccepted()
    {
        var errors = Validate(Qlik());

        Assert.Empty(errors);
    }

    [Fact]
    public void Validate_Pkcs8KeyInsteadOfQliksPkcs1_IsAcceptedToo()
    {
        var errors = Validate(Qlik() with { ClientKeyPath = Certificates.ClientPkcs8KeyPath });

        Assert.Empty(errors);
    }

    [Fact]
    public void Validate_MissingFiles_NameEachFieldAndWhatToPointItAt()
    {
        var errors = Validate(new EngineConnectionConfig
        {
            ClientCertificatePath = Path.Combine(Certificates.Directory, "nope.pem"),
            ClientKeyPath = Path.Combine(Certificates.Directory, "nope_key.pem"),
            TrustedRootPath = Path.Combine(Certificates.Directory, "nope_root.pem"),
        });

        ConfigAssert.HasError(errors, "engineConnection.clientCertificatePath", "does not exist; point it at the PEM certificate");
        ConfigAssert.HasError(errors, "engineConnection.clientKeyPath", "does not exist; point it at the certificate's PEM private key");
        ConfigAssert.HasError(errors, "engineConnection.trustedRootPath", "does not exist; point it at the PEM CA certificate");
    }

    [Fact]
    public void Validate_CertificateWithoutKey_AsksForTheKey()
    {
        var errors = Validate(Qlik() with { ClientKeyPath = null });

        ConfigAssert.HasError(errors, "engineConnection.clientKeyPath", "is missing while clientCertificatePath is set");
    }

    [Fact]
    public void Validate_KeyOfAnotherCertificate_IsRefused()
    {
        var errors = Validate(Qlik() with { ClientKeyPath = Certificates.ImpostorClientKeyPath });

        ConfigAssert.HasError(errors, "engineConnection.clientKeyPath", "is not the private key of the certificate in clientCertificatePath");
    }

    [Fact]
    public void Validate_EncryptedKey_AsksForAnUnencryptedExport()
    {
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var path = Certificates.Write("encrypted_key.pem", key.ExportEncryptedPkcs8PrivateKeyPem("secret", new System.Security.Cryptography.PbeParameters(System.Security.Cryptography.PbeEncryptionAlgorithm.Aes256Cbc, System.Security.Cryptography.HashAlgorithmName.SHA256, 1000)));

        var errors = Validate(Qlik() with { ClientKeyPath = path });

        ConfigAssert.HasError(errors, "engineConnection.clientKeyPath", "is an encrypted private key");
    }

    [Fact]
    public void Validate_NotAPemKey_IsRefused()
    {
        var errors = Validate(Qlik() with { ClientKeyPath = Certificates.RootPath });

        ConfigAssert.HasError(errors, "engineConnection.clientKeyPath", "holds no readable RSA or EC private key");
    }

    [Fact]
    public void Validate_ExpiredClientCertificate_IsRefused()
    {
        var errors = Validate(Qlik() with { ClientCertificatePath = Certificates.ExpiredClientPath, ClientKeyPath = Certificates.ExpiredClientKeyPath });

        ConfigAssert.HasError(errors, "engineConnection.clientCertificatePath", "expired on");
    }

    [Fact]
    public void Validate_NotYetValidClientCertificate_IsRefused()
    {
        var errors = Validate(Qlik() with { ClientCertificatePath = Certificates.NotYetValidClientPath, ClientKeyPath = Certificates.NotYetValidClientKeyPath });

        ConfigAssert.HasError(errors, "engineConnection.clientCertificatePath", "is not valid before");
    }

    [Fact]
    public void Validate_ClientCertificateJudgedOnTheInjectedClock_ExpiresWithIt()
    {
        var later = new ManualTimeProvider(DateTimeOffset.UtcNow.AddYears(2));

        var errors = new ConfigValidator(Certificates.Directory, later).Validate(Config(Qlik()));

        ConfigAssert.HasError(errors, "engineConnection.clientCertificatePath", "expired on");
    }

    [Fact]
    public void Validate_ServerCertificateAsClientCertificate_IsRefusedForItsKeyUsage()
    {
        var errors = Validate(Qlik() with { ClientCertificatePath = Certificates.ServerOnlyCertificatePath, ClientKeyPath = Certificates.ServerOnlyKeyPath });

        ConfigAssert.HasError(errors, "engineConnection.clientCertificatePath", "does not allow client authentication");
    }

    [Fact]
    public void Validate_TlsSettingsWithAnHttpNode_AskForHttps()
    {
        var errors = new ConfigValidator(Certificates.Directory).Validate(Config(Qlik(), "http://engine.example.test:4747"));

        ConfigAssert.HasError(errors, "virtualProxies[0].loadBalancingServerNodes[0]", "is http:// but engineConnection has TLS settings");
        ConfigAssert.HasError(errors, "virtualProxies[0].loadBalancingServerNodes[0]", "write https://engine.example.test:4747");
    }

    [Fact]
    public void Validate_VirtualProxyOwnConnectionWithoutTls_OverridesTheGlobalOneForHttpNodes()
    {
        var config = Config(Qlik(), "http://engine.example.test:4747");
        config = config with { VirtualProxies = [config.VirtualProxies[0] with { EngineConnection = new EngineConnectionConfig() }] };

        Assert.Empty(new ConfigValidator(Certificates.Directory).Validate(config));
    }

    [Fact]
    public void Validate_PerVirtualProxyMistakes_AreReportedUnderItsPath()
    {
        var config = Config(new EngineConnectionConfig());
        config = config with { VirtualProxies = [config.VirtualProxies[0] with { EngineConnection = Qlik() with { TrustedServerThumbprints = ["abc"] } }] };

        var errors = new ConfigValidator(Certificates.Directory).Validate(config);

        ConfigAssert.HasError(errors, "virtualProxies[0].engineConnection.trustedServerThumbprints[0]", "is not a SHA-256 thumbprint");
    }

    [Fact]
    public void Validate_Sha256ThumbprintWithColons_IsAccepted()
    {
        var pin = string.Join(':', Certificates.ServerSha256.Chunk(2).Select(c => new string(c)));

        Assert.Empty(Validate(Qlik() with { TrustedRootPath = null, TrustedServerThumbprints = [pin] }));
    }

    [Fact]
    public void Validate_AcceptAnyNextToARootOrPin_IsAContradiction()
    {
        var errors = Validate(Qlik() with { DangerouslyAcceptAnyServerCertificate = true });

        ConfigAssert.HasError(errors, "engineConnection.dangerouslyAcceptAnyServerCertificate", "which it would override");
    }

    [Fact]
    public void Validate_JwtModeWithoutKey_AsksForOne()
    {
        var errors = Validate(new EngineConnectionConfig { Authentication = EngineAuthentication.Jwt });

        ConfigAssert.HasError(errors, "engineConnection.jwt", "is required with \"authentication\": \"jwt\"");
        var withoutPath = Validate(new EngineConnectionConfig { Authentication = EngineAuthentication.Jwt, Jwt = new EngineJwtConfig() });
        ConfigAssert.HasError(withoutPath, "engineConnection.jwt.privateKeyPath", "is required");
    }

    [Fact]
    public void Validate_JwtSettingsInHeaderMode_AreNotSilentlyIgnored()
    {
        var errors = Validate(new EngineConnectionConfig { Jwt = new EngineJwtConfig { PrivateKeyPath = Certificates.SigningKeyPath } });

        ConfigAssert.HasError(errors, "engineConnection.jwt", "authentication is \"header\"");
    }

    [Theory]
    [InlineData("ES256", "is an RSA key, which signs with RS256, RS384 or RS512")]
    [InlineData("HS256", "is an RSA key, which signs with RS256, RS384 or RS512")]
    public void Validate_AlgorithmThatDoesNotFitAnRsaKey_IsRefused(string algorithm, string message)
    {
        var errors = Validate(Jwt(Certificates.SigningKeyPath, algorithm));

        ConfigAssert.HasError(errors, "engineConnection.jwt.algorithm", message);
    }

    [Theory]
    [InlineData("RS256")]
    [InlineData("ES384")]
    public void Validate_AlgorithmThatDoesNotFitAP256Key_IsRefused(string algorithm)
    {
        var errors = Validate(Jwt(Certificates.EcSigningKeyPath, algorithm));

        ConfigAssert.HasError(errors, "engineConnection.jwt.algorithm", "is an EC P-256 key, which signs with ES256 only");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("RS512")]
    public void Validate_RsaKeyWithFittingAlgorithm_IsAccepted(string? algorithm)
    {
        Assert.Empty(Validate(Jwt(Certificates.SigningKeyPath, algorithm)));
    }

    [Fact]
    public void Validate_EcKeyWithItsAlgorithm_IsAccepted()
    {
        Assert.Empty(Validate(Jwt(Certificates.EcSigningKeyPath, "ES256")));
    }

    [Fact]
    public void Validate_PublicKeyInsteadOfPrivateKey_IsRefused()
    {
        var errors = Validate(Jwt(Certificates.PublicKeyOnlyPath, null));

        ConfigAssert.HasError(errors, "engineConnection.jwt.privateKeyPath", "not a private key");
    }

    [Fact]
    public void Validate_JwtLifetimeOutOfRange_IsRefused()
    {
        var errors = Validate(Jwt(Certificates.SigningKeyPath, null) with { Jwt = new EngineJwtConfig { PrivateKeyPath = Certificates.SigningKeyPath, LifetimeSeconds = 86_400 } });

        ConfigAssert.HasError(errors, "engineConnection.jwt.lifetimeSeconds", "must be between 10 and 3600");
    }

    [Fact]
    public void Validate_ProxyIdThatIsNoGuid_IsRefused()
    {
        var errors = new ConfigValidator(Certificates.Directory).Validate(Config(new EngineConnectionConfig()) with { ProxyId = "proxy-1" });

        ConfigAssert.HasError(errors, "proxyId", "is not a GUID");
    }

    [Fact]
    public void Parse_EngineConnectionJson_ReadsModesByName()
    {
        var result = ConfigLoader.Parse(
            $$"""
            {
              "engineConnection": { "authentication": "jwt", "jwt": { "privateKeyPath": "engine-signing.pem", "subject": "directoryAndUserId" } },
              "virtualProxies": [ { "prefix": "", "loadBalancingServerNodes": [ "http://127.0.0.1:4747" ] } ]
            }
            """,
            Certificates.Directory);

        ConfigAssert.IsValid(result);
        Assert.Equal(EngineAuthentication.Jwt, result.Config!.EngineConnection.Authentication);
        Assert.Equal(EngineJwtSubject.DirectoryAndUserId, result.Config.EngineConnection.Jwt!.Subject);
    }

    private IReadOnlyList<ConfigError> Validate(EngineConnectionConfig connection) =>
        new ConfigValidator(Certificates.Directory).Validate(Config(connection));

    private static EngineConnectionConfig Qlik() => new()
    {
        ClientCertificatePath = "client.pem",
        ClientKeyPath = "client_key.pem",
        TrustedRootPath = "root.pem",
    };

    private static EngineConnectionConfig Jwt(string keyPath, string? algorithm) => new()
    {
        Authentication = EngineAuthentication.Jwt,
        Jwt = new EngineJwtConfig { PrivateKeyPath = keyPath, Algorithm = algorithm },
    };

    private static PorticoConfig Config(EngineConnectionConfig connection, string node = HttpsNode) => new()
    {
        EngineConnection = connection,
        VirtualProxies = [new VirtualProxyConfig { Prefix = "", LoadBalancingServerNodes = [node] }],
    };
}
