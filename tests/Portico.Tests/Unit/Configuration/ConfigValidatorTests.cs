using Portico.Configuration;

namespace Portico.Tests.Unit.Configuration;

public sealed class ConfigValidatorTests
{
    private const string Node = "http://127.0.0.1:4747";

    private readonly string _baseDirectory = ConfigAssert.NonExistentBaseDirectory();

    [Fact]
    public void Parse_ConfigWithManyMistakes_ReportsEveryErrorWithItsPath()
    {
        var result = ConfigLoader.Parse(
            """
            {
              "publicHost": "https://qlik.example.com/hub",
              "listeners": {
                "https": { "address": "localhost", "port": 8443 },
                "http": { "address": "localhost", "port": 8443 }
              },
              "hsts": { "enabled": true, "maxAgeSeconds": 31536000, "includeSubDomains": false, "preload": true },
              "virtualProxies": [
                { "prefix": "sales", "sessionCookieHeaderName": "X-Qlik-Session-sales", "loadBalancingServerNodes": [ "http://127.0.0.1:4747" ] },
                { "prefix": "Finance", "sessionCookieHeaderName": "X-Qlik-Session-finance", "loadBalancingServerNodes": [ "http://127.0.0.1:4747" ] },
                { "prefix": "sales", "sessionCookieHeaderName": "X-Qlik-Session-sales2", "loadBalancingServerNodes": [ "http://127.0.0.1:4747" ] },
                { "prefix": "hr", "sessionCookieHeaderName": "x-qlik-session-SALES", "loadBalancingServerNodes": [ "http://127.0.0.1:4747" ] },
                { "prefix": "ops", "sessionCookieHeaderName": "X-Qlik-Session-ops", "loadBalancingServerNodes": [ "ftp://engine1:4747", "http://engine2:4747" ] },
                { "prefix": "empty", "sessionCookieHeaderName": "X-Qlik-Session-empty", "loadBalancingServerNodes": [] },
                { "prefix": "partner", "sessionCookieHeaderName": "X-Qlik-Session-partner", "sameSiteAttributeHttps": 1, "hasSecureAttributeHttps": false, "loadBalancingServerNodes": [ "http://127.0.0.1:4747" ] },
                { "prefix": "jwt", "sessionCookieHeaderName": "X-Qlik-Session-jwt", "authenticationMethod": 9, "loadBalancingServerNodes": [ "http://127.0.0.1:4747" ] },
                { "prefix": "qps", "sessionCookieHeaderName": "X-Qlik-Session-qps", "loadBalancingServerNodes": [ "http://127.0.0.1:4747" ] },
                { "prefix": ".", "sessionCookieHeaderName": "X-Qlik-Session-dot", "loadBalancingServerNodes": [ "http://127.0.0.1:4747" ] },
                { "prefix": "a/b", "sessionCookieHeaderName": "X-Qlik-Session-ab", "loadBalancingServerNodes": [ "http://127.0.0.1:4747" ] },
                { "prefix": "hdr", "sessionCookieHeaderName": "X-Qlik-Session-hdr", "loadBalancingServerNodes": [ "http://127.0.0.1:4747" ], "additionalResponseHeaders": "X-Frame-Options: DENY\nSet-Cookie: a=b" }
              ]
            }
            """,
            _baseDirectory);

        Assert.False(result.IsValid);
        Assert.Null(result.Config);
        var errors = result.Errors;
        (string Path, string Fragment)[] expected =
        [
            ("publicHost", "is not a host name with an optional port"),
            ("listeners.http.port", "8443 is already used by listeners.https"),
            ("hsts.preload", "preload needs includeSubDomains: true"),
            ("virtualProxies[1].prefix", "\"Finance\" must be lowercase; write \"finance\""),
            ("virtualProxies[2].prefix", "\"sales\" is already used by virtualProxies[0]"),
            ("virtualProxies[3].sessionCookieHeaderName", "\"x-qlik-session-SALES\" is already used by virtualProxies[0]"),
            ("virtualProxies[4].loadBalancingServerNodes[0]", "\"ftp://engine1:4747\" is not an engine URL"),
            ("virtualProxies[5].loadBalancingServerNodes", "no engine node"),
            ("virtualProxies[6].sameSiteAttributeHttps", "SameSite=None (1) requires hasSecureAttributeHttps: true"),
            ("virtualProxies[7].authenticationMethod", "9 is not a method"),
            ("virtualProxies[8].prefix", "\"qps\" is reserved"),
            ("virtualProxies[9].prefix", "\".\" is reserved"),
            ("virtualProxies[10].prefix", "no slashes"),
            ("virtualProxies[11].additionalResponseHeaders", "line 2: \"Set-Cookie\""),
        ];
        foreach (var (path, fragment) in expected)
        {
            ConfigAssert.HasError(errors, path, fragment);
        }

        Assert.True(expected.Length == errors.Count, $"expected exactly {expected.Length} errors; got:{Environment.NewLine}{ConfigAssert.Describe(errors)}");
        ConfigAssert.HasNoErrorAt(errors, "virtualProxies[4].loadBalancingServerNodes[1]");
    }

    [Fact]
    public void Validate_ValidConfig_ReturnsNoErrors()
    {
        var errors = Validate(new PorticoConfig
        {
            PublicHost = "qlik.example.com",
            Hsts = new HstsConfig { MaxAgeSeconds = 31_536_000, IncludeSubDomains = true, Preload = true },
            VirtualProxies =
            [
                Vp("", "X-Qlik-Session"),
                Vp("sales", "X-Qlik-Session-sales") with { SameSiteAttributeHttps = CookieSameSite.None, HasSecureAttributeHttps = true },
            ],
        });

        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("Sales", "sales")]
    [InlineData("HR", "hr")]
    [InlineData("myApp", "myapp")]
    public void Validate_UppercasePrefix_SaysLowercaseAndSuggestsIt(string prefix, string suggestion)
    {
        var errors = Validate(Config(Vp(prefix, "X-Qlik-Session-a")));

        ConfigAssert.HasError(errors, "virtualProxies[0].prefix", $"\"{prefix}\" must be lowercase; write \"{suggestion}\"");
    }

    [Theory]
    [InlineData("qps")]
    [InlineData(".")]
    [InlineData("..")]
    public void Validate_ReservedPrefix_IsRejected(string prefix)
    {
        var errors = Validate(Config(Vp(prefix, "X-Qlik-Session-a")));

        ConfigAssert.HasError(errors, "virtualProxies[0].prefix", $"\"{prefix}\" is reserved");
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("/sales")]
    [InlineData("sales/")]
    [InlineData("sa les")]
    [InlineData("sa%2fles")]
    [InlineData("sa\\les")]
    [InlineData("café")]
    public void Validate_PrefixWithCharacterOutsideOneSegment_IsRejected(string prefix)
    {
        var errors = Validate(Config(Vp(prefix, "X-Qlik-Session-a")));

        ConfigAssert.HasError(errors, "virtualProxies[0].prefix", "may contain only a-z 0-9 - . _ ~");
    }

    [Fact]
    public void Validate_DuplicatePrefixDifferingOnlyInCase_IsReportedOnTheSecond()
    {
        var errors = Validate(Config(Vp("sales", "X-Qlik-Session-1"), Vp("SALES", "X-Qlik-Session-2")));

        ConfigAssert.HasError(errors, "virtualProxies[1].prefix", "must be lowercase");
        ConfigAssert.HasError(errors, "virtualProxies[1].prefix", "is already used by virtualProxies[0]");
    }

    [Fact]
    public void Validate_TwoDefaultVirtualProxies_AreReportedAsDuplicatePrefix()
    {
        var errors = Validate(Config(Vp("", "X-Qlik-Session-1"), Vp("", "X-Qlik-Session-2")));

        ConfigAssert.HasError(errors, "virtualProxies[1].prefix", "\"\" is already used by virtualProxies[0]");
    }

    [Fact]
    public void Validate_DuplicateSessionCookieName_IsReportedOnTheSecondWithASuggestion()
    {
        var errors = Validate(Config(Vp("", "X-Qlik-Session"), Vp("sales", "X-Qlik-Session")));

        ConfigAssert.HasError(errors, "virtualProxies[1].sessionCookieHeaderName", "\"X-Qlik-Session\" is already used by virtualProxies[0]");
        ConfigAssert.HasError(errors, "virtualProxies[1].sessionCookieHeaderName", "\"X-Qlik-Session-sales\"");
        ConfigAssert.HasNoErrorAt(errors, "virtualProxies[0].sessionCookieHeaderName");
    }

    [Theory]
    [InlineData("")]
    [InlineData("X Qlik")]
    [InlineData("X-Qlik;Session")]
    [InlineData("X-Qlik=Session")]
    public void Validate_InvalidSessionCookieName_IsRejected(string name)
    {
        var errors = Validate(Config(Vp("", name)));

        ConfigAssert.HasError(errors, "virtualProxies[0].sessionCookieHeaderName", "is not a cookie name");
    }

    [Theory]
    [InlineData("ftp://engine:4747")]
    [InlineData("engine:4747")]
    [InlineData("/engine")]
    [InlineData("http://user:pass@engine:4747")]
    [InlineData("http://engine:4747/?x=1")]
    [InlineData("http://engine:4747/#top")]
    [InlineData("")]
    public void Validate_BadEngineNode_IsReportedAtItsIndex(string node)
    {
        var errors = Validate(Config(Vp("", "X-Qlik-Session") with { LoadBalancingServerNodes = [Node, node] }));

        ConfigAssert.HasError(errors, "virtualProxies[0].loadBalancingServerNodes[1]", "is not an engine URL");
        ConfigAssert.HasNoErrorAt(errors, "virtualProxies[0].loadBalancingServerNodes[0]");
    }

    [Fact]
    public void Validate_SameEngineNodeTwice_IsReportedOnTheSecond()
    {
        var errors = Validate(Config(Vp("", "X-Qlik-Session") with { LoadBalancingServerNodes = ["http://engine1:4747", "HTTP://ENGINE1:4747/"] }));

        ConfigAssert.HasError(errors, "virtualProxies[0].loadBalancingServerNodes[1]", "is listed twice");
    }

    [Fact]
    public void Validate_NoEngineNodes_IsReported()
    {
        var errors = Validate(Config(Vp("", "X-Qlik-Session") with { LoadBalancingServerNodes = [] }));

        ConfigAssert.HasError(errors, "virtualProxies[0].loadBalancingServerNodes", "no engine node");
    }

    [Fact]
    public void Validate_NoVirtualProxies_IsReported()
    {
        var errors = Validate(new PorticoConfig());

        ConfigAssert.HasError(errors, "virtualProxies", "no virtual proxy is configured");
    }

    [Fact]
    public void Validate_SameSiteNoneWithoutSecure_IsRejected()
    {
        var errors = Validate(Config(Vp("", "X-Qlik-Session") with { SameSiteAttributeHttps = CookieSameSite.None, HasSecureAttributeHttps = false }));

        ConfigAssert.HasError(errors, "virtualProxies[0].sameSiteAttributeHttps", "SameSite=None (1) requires hasSecureAttributeHttps: true");
    }

    [Fact]
    public void Validate_SameSiteLaxWithoutSecure_IsAccepted()
    {
        var errors = Validate(Config(Vp("", "X-Qlik-Session") with { SameSiteAttributeHttps = CookieSameSite.Lax, HasSecureAttributeHttps = false }));

        ConfigAssert.HasNoErrorAt(errors, "virtualProxies[0].sameSiteAttributeHttps");
    }

    [Fact]
    public void Validate_UndefinedEnumNumbers_AreEachReported()
    {
        var errors = Validate(Config(Vp("", "X-Qlik-Session") with
        {
            AuthenticationMethod = (AuthenticationMethod)9,
            AnonymousAccessMode = (AnonymousAccessMode)7,
            SameSiteAttributeHttps = (CookieSameSite)9,
        }));

        ConfigAssert.HasError(errors, "virtualProxies[0].authenticationMethod", "9 is not a method; use 0 (Ticket)");
        ConfigAssert.HasError(errors, "virtualProxies[0].anonymousAccessMode", "7 is not a mode");
        ConfigAssert.HasError(errors, "virtualProxies[0].sameSiteAttributeHttps", "9 is not a SameSite value");
    }

    [Theory]
    [InlineData("https://qlik.example.com")]
    [InlineData("qlik.example.com/hub")]
    [InlineData("qlik.example.com:8443/")]
    [InlineData("user@qlik.example.com")]
    [InlineData("qlik.example.com?next=evil")]
    [InlineData("qlik.example.com#x")]
    [InlineData("qlik example.com")]
    [InlineData("")]
    [InlineData(" ")]
    public void Validate_PublicHostThatIsNotHostAndPort_IsRejected(string publicHost)
    {
        var errors = Validate(Config(Vp("", "X-Qlik-Session")) with { PublicHost = publicHost });

        ConfigAssert.HasError(errors, "publicHost", "no scheme, no path");
    }

    [Theory]
    [InlineData("qlik.example.com")]
    [InlineData("QLIK.example.com")]
    [InlineData("localhost:8443")]
    [InlineData("qlik.example.com:443")]
    [InlineData("[::1]:8443")]
    [InlineData("127.0.0.1")]
    public void Validate_PublicHostWithOptionalPort_IsAccepted(string publicHost)
    {
        var errors = Validate(Config(Vp("", "X-Qlik-Session")) with { PublicHost = publicHost });

        ConfigAssert.HasNoErrorAt(errors, "publicHost");
    }

    [Fact]
    public void Validate_TwoListenersOnOnePort_IsReportedOnTheSecond()
    {
        var config = Config(Vp("", "X-Qlik-Session")) with
        {
            Listeners = new ListenersConfig
            {
                Https = new ListenerConfig { Port = 8443 },
                Http = new ListenerConfig { Port = 8080 },
                QpsApi = new ListenerConfig { Port = 8080 },
            },
        };

        var errors = Validate(config);

        ConfigAssert.HasError(errors, "listeners.qpsApi.port", "8080 is already used by listeners.http");
        ConfigAssert.HasNoErrorAt(errors, "listeners.http.port");
    }

    [Fact]
    public void Validate_SeveralListenersOnPortZero_AreAccepted()
    {
        var config = Config(Vp("", "X-Qlik-Session")) with
        {
            Listeners = new ListenersConfig
            {
                Https = new ListenerConfig { Port = 0 },
                Http = new ListenerConfig { Port = 0 },
                QpsApi = new ListenerConfig { Port = 0 },
            },
        };

        Assert.Empty(Validate(config));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(65536)]
    public void Validate_ListenerPortOutOfRange_IsRejected(int port)
    {
        var config = Config(Vp("", "X-Qlik-Session")) with
        {
            Listeners = new ListenersConfig { Https = new ListenerConfig { Port = port } },
        };

        ConfigAssert.HasError(Validate(config), "listeners.https.port", "is not a port");
    }

    [Theory]
    [InlineData("example.com")]
    [InlineData("http://localhost")]
    [InlineData("")]
    public void Validate_ListenerAddressThatIsNotLocalhostStarOrIp_IsRejected(string address)
    {
        var config = Config(Vp("", "X-Qlik-Session")) with
        {
            Listeners = new ListenersConfig { Https = new ListenerConfig { Address = address, Port = 8443 } },
        };

        ConfigAssert.HasError(Validate(config), "listeners.https.address", "is not a listen address");
    }

    [Fact]
    public void Validate_HstsPreloadWithoutIncludeSubDomains_IsRejected()
    {
        var errors = Validate(Config(Vp("", "X-Qlik-Session")) with
        {
            Hsts = new HstsConfig { MaxAgeSeconds = 31_536_000, IncludeSubDomains = false, Preload = true },
        });

        ConfigAssert.HasError(errors, "hsts.preload", "includeSubDomains: true");
    }

    [Fact]
    public void Validate_HstsPreloadWithShortMaxAge_IsRejected()
    {
        var errors = Validate(Config(Vp("", "X-Qlik-Session")) with
        {
            Hsts = new HstsConfig { MaxAgeSeconds = 3600, IncludeSubDomains = true, Preload = true },
        });

        ConfigAssert.HasError(errors, "hsts.preload", "maxAgeSeconds of at least 31536000");
    }

    [Fact]
    public void Validate_HstsNegativeMaxAge_IsRejected()
    {
        var errors = Validate(Config(Vp("", "X-Qlik-Session")) with { Hsts = new HstsConfig { MaxAgeSeconds = -1 } });

        ConfigAssert.HasError(errors, "hsts.maxAgeSeconds", "must be 0 or more");
    }

    [Fact]
    public void Validate_CertificatePathsThatDoNotExist_ReportBothFiles()
    {
        var errors = Validate(Config(Vp("", "X-Qlik-Session")) with
        {
            Certificate = new CertificateConfig { CertificatePath = "certs/portico.pem", KeyPath = "certs/portico.key" },
        });

        ConfigAssert.HasError(errors, "certificate.certificatePath", $"file '{Path.Combine(_baseDirectory, "certs", "portico.pem")}' does not exist");
        ConfigAssert.HasError(errors, "certificate.keyPath", $"file '{Path.Combine(_baseDirectory, "certs", "portico.key")}' does not exist");
    }

    [Fact]
    public void Validate_CertificatePathWithNulCharacter_ReportsErrorInsteadOfThrowing()
    {
        var config = Config(Vp("", "X-Qlik-Session")) with
        {
            Certificate = new CertificateConfig { CertificatePath = "portico\0.pem", KeyPath = "portico.key" },
        };

        var errors = Validate(config);

        Assert.Contains(errors, e => e.Path.StartsWith("certificate", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_DemoEngineEnabledWithBadUrl_IsRejected()
    {
        var errors = Validate(Config(Vp("", "X-Qlik-Session")) with
        {
            DemoEngine = new DemoEngineConfig { Enabled = true, Url = "127.0.0.1:4747" },
        });

        ConfigAssert.HasError(errors, "demoEngine.url", "is not an engine URL");
    }

    [Fact]
    public void Validate_HealthCheckTimeoutLongerThanInterval_IsRejected()
    {
        var errors = Validate(Config(Vp("", "X-Qlik-Session")) with
        {
            LoadBalancing = new LoadBalancingConfig { HealthCheckIntervalSeconds = 5, HealthCheckTimeoutSeconds = 10 },
        });

        ConfigAssert.HasError(errors, "loadBalancing.healthCheckTimeoutSeconds", "no longer than healthCheckIntervalSeconds");
    }

    [Theory]
    [InlineData("https://example.com")]
    [InlineData("example.com/path")]
    [InlineData("example.com:443")]
    public void Validate_SessionCookieDomainThatIsNotADomain_IsRejected(string domain)
    {
        var errors = Validate(Config(Vp("", "X-Qlik-Session") with { SessionCookieDomain = domain }));

        ConfigAssert.HasError(errors, "virtualProxies[0].sessionCookieDomain", "is not a domain");
    }

    [Theory]
    [InlineData(" CORP", "the user directory begins with whitespace (U+0020)")]
    [InlineData("CORP\u00A0", "the user directory ends with whitespace (U+00A0)")]
    [InlineData("CO\u200BRP", "the user directory contains an invisible formatting character (U+200B)")]
    [InlineData("CORP\n", "the user directory contains a control character (U+000A)")]
    [InlineData("ANONYMOUS", "the user directory names the user directory ANONYMOUS, which is reserved for anonymous access")]
    [InlineData("anonymous", "the user directory names the user directory ANONYMOUS, which is reserved for anonymous access")]
    [InlineData("\uFF21\uFF2E\uFF2F\uFF2E\uFF39\uFF2D\uFF2F\uFF35\uFF33", "the user directory names the user directory ANONYMOUS")]
    public void Validate_StaticUserDirectoryBreakingTheIdentityRule_IsRejectedWithTheFix(string directory, string reason)
    {
        var errors = Validate(Config(StaticHeaderVp(directory)));

        ConfigAssert.HasError(errors, "virtualProxies[0].headerAuthenticationStaticUserDirectory", reason);
        ConfigAssert.HasError(errors, "virtualProxies[0].headerAuthenticationStaticUserDirectory", "name the directory the users belong to");
    }

    [Theory]
    [InlineData("CORP")]
    [InlineData("corp.example.com")]
    [InlineData("M\u00dcNCHEN")]
    public void Validate_StaticUserDirectory_IsAccepted(string directory)
    {
        ConfigAssert.HasNoErrorAt(Validate(Config(StaticHeaderVp(directory))), "virtualProxies[0].headerAuthenticationStaticUserDirectory");
    }

    private static VirtualProxyConfig StaticHeaderVp(string directory) => Vp("", "X-Qlik-Session") with
    {
        AuthenticationMethod = AuthenticationMethod.HeaderStaticUserDirectory,
        HeaderAuthenticationHeaderName = "X-Portico-User",
        HeaderAuthenticationStaticUserDirectory = directory,
    };

    private IReadOnlyList<ConfigError> Validate(PorticoConfig config) => new ConfigValidator(_baseDirectory).Validate(config);

    private static PorticoConfig Config(params VirtualProxyConfig[] virtualProxies) => new() { VirtualProxies = virtualProxies };

    private static VirtualProxyConfig Vp(string prefix, string cookieName) => new()
    {
        Prefix = prefix,
        SessionCookieHeaderName = cookieName,
        LoadBalancingServerNodes = [Node],
    };
}
