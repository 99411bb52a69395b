using Portico.Configuration;

namespace Portico.Tests.Unit.Configuration;

public sealed class ConfigWarningsTests
{
    private readonly string _baseDirectory = ConfigAssert.NonExistentBaseDirectory();

    [Theory]
    [InlineData("0.0.0.0/0", "every IPv4 address")]
    [InlineData("::/0", "every address")]
    [InlineData("0.0.0.0/1\", \"128.0.0.0/1", "every IPv4 address")]
    [InlineData("::ffff:0:0/96", "every IPv4 address")]
    [InlineData("::/1", "every IPv4 address")]
    [InlineData("0.0.0.0/0\", \"::/1\", \"8000::/1", "every address")]
    public void For_HeaderNetworksThatTrustEveryAddress_Warns(string networks, string what)
    {
        var warnings = ConfigWarnings.For(Snapshot($$"""{ "authenticationMethod": 1, "headerAuthenticationHeaderName": "X-User", "headerAuthenticationStaticUserDirectory": "CORP", "headerAuthenticationTrustedNetworks": [ "{{networks}}" ] }"""));

        Assert.Contains(warnings, w => w.StartsWith("virtualProxies[0].headerAuthenticationTrustedNetworks: trusts " + what + ",", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("10.0.0.0/8")]
    [InlineData("0.0.0.0/1")]
    [InlineData("127.0.0.1/32\", \"::1/128")]
    [InlineData("8000::/1")]
    public void For_HeaderNetworksThatLeaveAddressesOut_DoNotWarnAboutThem(string networks)
    {
        var warnings = ConfigWarnings.For(Snapshot($$"""{ "authenticationMethod": 1, "headerAuthenticationHeaderName": "X-User", "headerAuthenticationStaticUserDirectory": "CORP", "headerAuthenticationTrustedNetworks": [ "{{networks}}" ] }"""));

        Assert.DoesNotContain(warnings, w => w.Contains("headerAuthenticationTrustedNetworks", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Strict-Transport-Security: max-age=0", true)]
    [InlineData("X-Frame-Options: DENY\\nstrict-transport-security: includeSubDomains; MAX-AGE=\\\"0\\\"", true)]
    [InlineData("Strict-Transport-Security: max-age=31536000", false)]
    [InlineData("Strict-Transport-Security: max-age=00", true)]
    public void For_AdditionalHstsHeaderWithMaxAgeZero_Warns(string headers, bool warns)
    {
        var warnings = ConfigWarnings.For(Snapshot($$"""{ "anonymousAccessMode": 2, "additionalResponseHeaders": "{{headers}}" }"""));

        Assert.Equal(warns, warnings.Any(w => w.StartsWith("virtualProxies[0].additionalResponseHeaders: line ", StringComparison.Ordinal) && w.Contains("forget HSTS", StringComparison.Ordinal)));
    }

    [Fact]
    public void For_TopLevelHstsWithMaxAgeZero_Warns()
    {
        var warnings = ConfigWarnings.For(Snapshot("""{ "anonymousAccessMode": 2 }""", """ "hsts": { "maxAgeSeconds": 0 }, """));

        Assert.Contains(warnings, w => w.StartsWith("hsts.maxAgeSeconds: 0 tells browsers to forget HSTS", StringComparison.Ordinal));
    }

    [Fact]
    public void For_QpsApiListenerWithoutTrust_WarnsFromTheConfigurationAlone()
    {
        var warnings = ConfigWarnings.For(Snapshot("""{ "anonymousAccessMode": 2 }"""));

        Assert.Contains(warnings, w => w.Contains("QPS API listener trusts no client certificate", StringComparison.Ordinal));
        Assert.DoesNotContain(
            ConfigWarnings.For(Snapshot("""{ "anonymousAccessMode": 2 }""", """ "qpsApi": { "trustDevelopmentCa": true }, """)),
            w => w.Contains("QPS API", StringComparison.Ordinal));
    }

    private ConfigSnapshot Snapshot(string virtualProxyFields, string topLevel = "")
    {
        var fields = virtualProxyFields.TrimStart('{').TrimEnd('}');
        var result = ConfigLoader.Parse($$"""{ {{topLevel}} "virtualProxies": [ { "prefix": "", "loadBalancingServerNodes": [ "http://127.0.0.1:4747" ], {{fields}} } ] }""", _baseDirectory);
        ConfigAssert.IsValid(result);
        return ConfigSnapshot.Create(result.Config!, result.BaseDirectory, version: 1);
    }
}
