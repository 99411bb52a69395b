using System.Text.Json;
using Portico.Configuration;

namespace Portico.Tests.Unit.Configuration;

public sealed class ConfigLoaderTests
{
    private readonly string _baseDirectory = ConfigAssert.NonExistentBaseDirectory();

    [Fact]
    public void Parse_MinimalValidConfig_ReturnsConfigWithoutErrors()
    {
        var result = ConfigLoader.Parse(
            """{ "virtualProxies": [ { "prefix": "", "loadBalancingServerNodes": [ "http://127.0.0.1:4747" ] } ] }""",
            _baseDirectory);

        ConfigAssert.IsValid(result);
        Assert.Empty(result.Errors);
        Assert.Equal(_baseDirectory, result.BaseDirectory);
        Assert.Equal(["http://127.0.0.1:4747"], result.Config!.VirtualProxies[0].LoadBalancingServerNodes);
    }

    [Theory]
    [InlineData("4")]
    [InlineData("\"JWT\"")]
    [InlineData("\"Jwt\"")]
    [InlineData("\"jwt\"")]
    public void Deserialize_AuthenticationMethodAsQlikNumberOrName_ReadsJwt(string jsonValue)
    {
        var config = JsonSerializer.Deserialize<VirtualProxyConfig>($$"""{ "authenticationMethod": {{jsonValue}} }""", ConfigJson.Options);

        Assert.Equal(AuthenticationMethod.Jwt, config!.AuthenticationMethod);
    }

    [Theory]
    [InlineData("2")]
    [InlineData("\"AlwaysAnonymous\"")]
    [InlineData("\"alwaysAnonymous\"")]
    public void Deserialize_AnonymousAccessModeAsQlikNumberOrName_ReadsAlwaysAnonymous(string jsonValue)
    {
        var config = JsonSerializer.Deserialize<VirtualProxyConfig>($$"""{ "anonymousAccessMode": {{jsonValue}} }""", ConfigJson.Options);

        Assert.Equal(AnonymousAccessMode.AlwaysAnonymous, config!.AnonymousAccessMode);
    }

    [Theory]
    [InlineData("1", CookieSameSite.None)]
    [InlineData("\"None\"", CookieSameSite.None)]
    [InlineData("3", CookieSameSite.Strict)]
    [InlineData("\"Strict\"", CookieSameSite.Strict)]
    [InlineData("0", CookieSameSite.NoAttribute)]
    public void Deserialize_SameSiteAsQlikNumberOrName_ReadsValue(string jsonValue, CookieSameSite expected)
    {
        var config = JsonSerializer.Deserialize<VirtualProxyConfig>($$"""{ "sameSiteAttributeHttps": {{jsonValue}} }""", ConfigJson.Options);

        Assert.Equal(expected, config!.SameSiteAttributeHttps);
    }

    [Fact]
    public void Parse_EnumsWrittenAsNames_AreValidAndKeepTheirValues()
    {
        var result = ConfigLoader.Parse(
            """
            {
              "virtualProxies": [
                {
                  "prefix": "",
                  "authenticationMethod": "Ticket",
                  "anonymousAccessMode": "AlwaysAnonymous",
                  "sameSiteAttributeHttps": "Strict",
                  "loadBalancingServerNodes": [ "http://127.0.0.1:4747" ]
                }
              ]
            }
            """,
            _baseDirectory);

        ConfigAssert.IsValid(result);
        var vp = result.Config!.VirtualProxies[0];
        Assert.Equal(AuthenticationMethod.Ticket, vp.AuthenticationMethod);
        Assert.Equal(AnonymousAccessMode.AlwaysAnonymous, vp.AnonymousAccessMode);
        Assert.Equal(CookieSameSite.Strict, vp.SameSiteAttributeHttps);
    }

    [Fact]
    public void Parse_EnumWrittenAsUnknownName_ReportsTheValidNamesAtItsPath()
    {
        var result = ConfigLoader.Parse(
            """{ "virtualProxies": [ { "authenticationMethod": "Kerberos", "loadBalancingServerNodes": [ "http://127.0.0.1:4747" ] } ] }""",
            _baseDirectory);

        Assert.False(result.IsValid);
        var error = Assert.Single(result.Errors);
        Assert.Equal("virtualProxies[0].authenticationMethod", error.Path);
        Assert.Contains("\"Kerberos\" is not one of Ticket, HeaderStaticUserDirectory, HeaderDynamicUserDirectory, Saml, Jwt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownField_ReportsErrorNamingItsPath()
    {
        var result = ConfigLoader.Parse(
            """
            {
              "virtualProxies": [
                { "prefx": "sales", "loadBalancingServerNodes": [ "http://127.0.0.1:4747" ] }
              ]
            }
            """,
            _baseDirectory);

        Assert.False(result.IsValid);
        Assert.Null(result.Config);
        var error = Assert.Single(result.Errors);
        Assert.Equal("virtualProxies[0].prefx", error.Path);
        Assert.Contains("unknown field", error.Message, StringComparison.Ordinal);
        Assert.Contains("(line 3)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownTopLevelField_ReportsErrorNamingIt()
    {
        var result = ConfigLoader.Parse("""{ "publicHostname": "qlik.example.com", "virtualProxies": [] }""", _baseDirectory);

        var error = Assert.Single(result.Errors);
        Assert.Equal("publicHostname", error.Path);
        Assert.Contains("unknown field", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MalformedJson_ReportsOneErrorWithItsLine()
    {
        var result = ConfigLoader.Parse(
            """
            {
              "publicHost": "qlik.example.com"
              "virtualProxies": []
            }
            """,
            _baseDirectory);

        Assert.False(result.IsValid);
        var error = Assert.Single(result.Errors);
        Assert.Contains("(line 3, column 3)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Path:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EmptyText_ReportsOneError()
    {
        var result = ConfigLoader.Parse("", _baseDirectory);

        Assert.False(result.IsValid);
        Assert.Equal("(root)", Assert.Single(result.Errors).Path);
    }

    [Fact]
    public void Parse_JsonNull_ReportsNoConfigurationObject()
    {
        var result = ConfigLoader.Parse("null", _baseDirectory);

        var error = Assert.Single(result.Errors);
        Assert.Equal("(root)", error.Path);
        Assert.Contains("no configuration object", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NullForList_ReportsErrorAtThatField()
    {
        var result = ConfigLoader.Parse("""{ "virtualProxies": null }""", _baseDirectory);

        Assert.False(result.IsValid);
        Assert.Equal("virtualProxies", Assert.Single(result.Errors).Path);
    }

    [Fact]
    public void Parse_NullForList_MessageTellsTheAdminToLeaveTheFieldOut()
    {
        // The loader has a dedicated, admin-readable message for null; the serializer's own text
        // ("consider updating its nullability annotation") is advice for a C# developer.
        var result = ConfigLoader.Parse("""{ "virtualProxies": null }""", _baseDirectory);

        var error = Assert.Single(result.Errors);
        Assert.Contains("must not be null", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("nullability annotation", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NullForNodeList_ReportsErrorAtThatField()
    {
        var result = ConfigLoader.Parse("""{ "virtualProxies": [ { "loadBalancingServerNodes": null } ] }""", _baseDirectory);

        Assert.False(result.IsValid);
        Assert.Equal("virtualProxies[0].loadBalancingServerNodes", Assert.Single(result.Errors).Path);
    }

    [Fact]
    public void Parse_NullForString_ReportsErrorAtThatField()
    {
        var result = ConfigLoader.Parse(
            """{ "virtualProxies": [ { "prefix": null, "loadBalancingServerNodes": [ "http://127.0.0.1:4747" ] } ] }""",
            _baseDirectory);

        Assert.False(result.IsValid);
        Assert.Equal("virtualProxies[0].prefix", Assert.Single(result.Errors).Path);
    }

    [Fact]
    public void Parse_NullVirtualProxyInList_ReportsErrorInsteadOfThrowing()
    {
        var result = ConfigLoader.Parse(
            """{ "virtualProxies": [ null, { "prefix": "", "loadBalancingServerNodes": [ "http://127.0.0.1:4747" ] } ] }""",
            _baseDirectory);

        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.Path.StartsWith("virtualProxies[0]", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_NullEngineNode_ReportsErrorAtThatNode()
    {
        var result = ConfigLoader.Parse(
            """{ "virtualProxies": [ { "loadBalancingServerNodes": [ "http://127.0.0.1:4747", null ] } ] }""",
            _baseDirectory);

        Assert.False(result.IsValid);
        ConfigAssert.HasError(result.Errors, "virtualProxies[0].loadBalancingServerNodes[1]", "is not an engine URL");
    }

    [Fact]
    public void Parse_WrongValueType_ReportsErrorAtThatField()
    {
        var result = ConfigLoader.Parse("""{ "hsts": { "maxAgeSeconds": "one year" }, "virtualProxies": [] }""", _baseDirectory);

        var error = Assert.Single(result.Errors);
        Assert.Equal("hsts.maxAgeSeconds", error.Path);
        Assert.Contains("wrong type", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CertificateWithoutRequiredPaths_ReportsErrorNamingTheMissingFields()
    {
        var result = ConfigLoader.Parse("""{ "certificate": { }, "virtualProxies": [] }""", _baseDirectory);

        var error = Assert.Single(result.Errors);
        Assert.Equal("certificate", error.Path);
        Assert.Contains("certificatePath", error.Message, StringComparison.Ordinal);
        Assert.Contains("keyPath", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CommentsAndTrailingCommas_AreAccepted()
    {
        var result = ConfigLoader.Parse(
            """
            {
              // engines behind the default virtual proxy
              "virtualProxies": [
                { "prefix": "", "loadBalancingServerNodes": [ "http://127.0.0.1:4747", ], },
              ],
            }
            """,
            _baseDirectory);

        ConfigAssert.IsValid(result);
    }

    [Fact]
    public void Parse_AdditionalResponseHeaderErrors_AreReportedPerVirtualProxyWithLineNumber()
    {
        var result = ConfigLoader.Parse(
            """
            {
              "virtualProxies": [
                { "prefix": "", "loadBalancingServerNodes": [ "http://127.0.0.1:4747" ] },
                {
                  "prefix": "sales",
                  "sessionCookieHeaderName": "X-Qlik-Session-sales",
                  "loadBalancingServerNodes": [ "http://127.0.0.1:4747" ],
                  "additionalResponseHeaders": "X-Frame-Options: DENY\nReferrer-Policy: no-referrer\nSet-Cookie: planted=1\nX-Bad Name: 1"
                }
              ]
            }
            """,
            _baseDirectory);

        Assert.False(result.IsValid);
        ConfigAssert.HasError(result.Errors, "virtualProxies[1].additionalResponseHeaders", "line 3: \"Set-Cookie\"");
        ConfigAssert.HasError(result.Errors, "virtualProxies[1].additionalResponseHeaders", "line 4: header name \"X-Bad Name\" contains a space");
        ConfigAssert.HasNoErrorAt(result.Errors, "virtualProxies[0].additionalResponseHeaders");
        Assert.Equal(2, result.Errors.Count);
    }

    [Fact]
    public void Parse_AdditionalResponseHeadersWithCrLf_AreValid()
    {
        var result = ConfigLoader.Parse(
            """
            {
              "virtualProxies": [
                {
                  "prefix": "",
                  "loadBalancingServerNodes": [ "http://127.0.0.1:4747" ],
                  "additionalResponseHeaders": "X-Frame-Options: DENY\r\nStrict-Transport-Security: max-age=31536000;includeSubDomains;Preload\r\n"
                }
              ]
            }
            """,
            _baseDirectory);

        ConfigAssert.IsValid(result);
    }

    [Fact]
    public void Load_BuiltInDemoConfig_IsValid()
    {
        var result = DemoConfig.Load(_baseDirectory);

        ConfigAssert.IsValid(result);
        var config = result.Config!;
        Assert.True(config.DemoEngine.Enabled);
        var vp = Assert.Single(config.VirtualProxies, v => v.Prefix == "");
        Assert.Equal(AnonymousAccessMode.AlwaysAnonymous, vp.AnonymousAccessMode);
        Assert.All(config.VirtualProxies, v => Assert.Equal([config.DemoEngine.Url], v.LoadBalancingServerNodes));
        Assert.Equal(
            [AuthenticationMethod.Ticket, AuthenticationMethod.Jwt, AuthenticationMethod.HeaderStaticUserDirectory],
            config.VirtualProxies.Where(v => v.Prefix.Length > 0).Select(v => v.AuthenticationMethod));
    }
}
