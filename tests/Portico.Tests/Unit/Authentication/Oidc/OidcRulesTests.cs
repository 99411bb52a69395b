using Portico.Configuration;
using Portico.Configuration.Rules;
using Portico.Tests.Unit.Configuration;

namespace Portico.Tests.Unit.Authentication.Oidc;

public sealed class OidcRulesTests
{
    private static VirtualProxyConfig OidcProxy() => new()
    {
        Prefix = "sso",
        AuthenticationMethod = AuthenticationMethod.Oidc,
        OidcConfigurationEndpointUri = "https://login.example.com/.well-known/openid-configuration",
        OidcClientId = "portico",
        OidcClientSecret = "s3cret-value",
        OidcRealm = "CORP",
        LoadBalancingServerNodes = ["http://127.0.0.1:4747"],
    };

    private static IReadOnlyList<ConfigError> Check(VirtualProxyConfig vp, Func<string, string?>? environment = null)
    {
        var errors = new ConfigErrors();
        new OidcRules(ConfigAssert.NonExistentBaseDirectory(), environment ?? (_ => null)).Check(new PorticoConfig { VirtualProxies = [vp] }, errors);
        return errors.All;
    }

    [Fact]
    public void Check_CompleteProxy_NoErrors() => Assert.Empty(Check(OidcProxy()));

    [Fact]
    public void Check_NothingSet_ReportsEachRequiredFieldWithItsPath()
    {
        var errors = Check(new VirtualProxyConfig { AuthenticationMethod = AuthenticationMethod.Oidc });

        ConfigAssert.HasError(errors, "virtualProxies[0].oidcConfigurationEndpointUri", "is required for OIDC");
        ConfigAssert.HasError(errors, "virtualProxies[0].oidcClientId", "is required");
        ConfigAssert.HasError(errors, "virtualProxies[0].oidcClientSecret", "set exactly one of");
        ConfigAssert.HasError(errors, "virtualProxies[0].oidcRealm", "is required");
        Assert.Equal(4, errors.Count);
    }

    [Theory]
    [InlineData("http://login.example.com/.well-known/openid-configuration")]
    [InlineData("https://login.example.com/.well-known/openid-configuration?x=1")]
    [InlineData("https://user:pw@login.example.com/.well-known/openid-configuration")]
    [InlineData("login.example.com")]
    public void Check_EndpointNotPlainHttps_Refused(string endpoint)
    {
        var errors = Check(OidcProxy() with { OidcConfigurationEndpointUri = endpoint });

        ConfigAssert.HasError(errors, "virtualProxies[0].oidcConfigurationEndpointUri", "must be an absolute https URL");
    }

    [Fact]
    public void Check_SecretGivenTwice_RefusedWithoutRepeatingIt()
    {
        var errors = Check(OidcProxy() with { OidcClientSecretEnv = "OIDC_SECRET" }, _ => "from-env");

        ConfigAssert.HasError(errors, "virtualProxies[0].oidcClientSecret", "is given more than once");
        Assert.DoesNotContain(errors, e => e.Message.Contains("s3cret-value", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_SecretFromUnsetEnvironmentVariable_NamesTheVariable()
    {
        var errors = Check(OidcProxy() with { OidcClientSecret = null, OidcClientSecretEnv = "PORTICO_OIDC_SECRET" });

        ConfigAssert.HasError(errors, "virtualProxies[0].oidcClientSecretEnv", "'PORTICO_OIDC_SECRET' is not set");
    }

    [Fact]
    public void Check_SecretFromSetEnvironmentVariable_NoErrors() =>
        Assert.Empty(Check(OidcProxy() with { OidcClientSecret = null, OidcClientSecretEnv = "PORTICO_OIDC_SECRET" }, name => name == "PORTICO_OIDC_SECRET" ? "x" : null));

    [Fact]
    public void Check_SecretFileMissing_NamesTheFile()
    {
        var errors = Check(OidcProxy() with { OidcClientSecret = null, OidcClientSecretFile = "secrets/oidc.txt" });

        ConfigAssert.HasError(errors, "virtualProxies[0].oidcClientSecretFile", "oidc.txt' cannot be read");
    }

    [Fact]
    public void Check_SecretFile_ReadAndTrimmed()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "  from-file\n");
            var vp = OidcProxy() with { OidcClientSecret = null, OidcClientSecretFile = file };

            Assert.Empty(Check(vp));
            Assert.Equal("from-file", Portico.Authentication.Oidc.OidcClientSecret.Resolve(vp, p => p, _ => null, out _));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Check_AnonymousRealm_Refused()
    {
        var errors = Check(OidcProxy() with { OidcRealm = "anonymous" });

        ConfigAssert.HasError(errors, "virtualProxies[0].oidcRealm", "reserved for anonymous access");
    }

    [Fact]
    public void Check_AlwaysAnonymous_Refused()
    {
        var errors = Check(OidcProxy() with { AnonymousAccessMode = AnonymousAccessMode.AlwaysAnonymous });

        ConfigAssert.HasError(errors, "virtualProxies[0].anonymousAccessMode", "never logs anyone in through OIDC");
    }

    [Fact]
    public void Check_AttributeMapEntryWithoutNames_Refused()
    {
        var errors = Check(OidcProxy() with { OidcAttributeMap = [new OidcAttributeMapItem { OidcAttribute = "department", SenseAttribute = "" }] });

        ConfigAssert.HasError(errors, "virtualProxies[0].oidcAttributeMap[0]", "needs oidcAttribute");
    }

    [Fact]
    public void Check_ScopeWithQuote_Refused()
    {
        var errors = Check(OidcProxy() with { OidcScope = "openid \"profile" });

        ConfigAssert.HasError(errors, "virtualProxies[0].oidcScope", "space-separated scope names");
    }

    [Fact]
    public void Check_TrustedCaFileMissing_Refused()
    {
        var errors = Check(OidcProxy() with { OidcTrustedCaFile = "ca/missing.pem" });

        ConfigAssert.HasError(errors, "virtualProxies[0].oidcTrustedCaFile", "cannot be read as PEM certificates");
    }

    [Fact]
    public void Check_OtherMethodsIgnoreOidcFields() =>
        Assert.Empty(Check(new VirtualProxyConfig { AuthenticationMethod = AuthenticationMethod.Ticket, OidcConfigurationEndpointUri = "http://nope" }));
}
