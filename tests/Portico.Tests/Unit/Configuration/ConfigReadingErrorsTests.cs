using Portico.Configuration;

namespace Portico.Tests.Unit.Configuration;

/// <summary>Reading errors (unknown fields, wrong types, enum typos) of the whole file come back as one list, each with its path, line and fix.</summary>
public sealed class ConfigReadingErrorsTests
{
    private readonly string _baseDirectory = ConfigAssert.NonExistentBaseDirectory();

    [Fact]
    public void Parse_ErrorsAcrossTheFile_AreAllReportedAtOnceWithPathAndLine()
    {
        var result = ConfigLoader.Parse(
            """
            {
              "publicHostname": "qlik.example.com",
              "hsts": { "maxAgeSeconds": "one year", "enabled": "yes" },
              "listeners": { "https": { "address": "*", "prot": 443 } },
              "virtualProxies": [
                { "prefix": "", "loadBalancingServerNodes": [ "http://127.0.0.1:4747" ] },
                { "prefx": "sales", "loadBalancingServerNodes": "http://127.0.0.1:4747" },
                { "prefix": "jwt", "authenticationMethod": "Jwt2", "anonymousAccessMode": "Always", "sameSiteAttributeHttps": true }
              ]
            }
            """,
            _baseDirectory);

        Assert.False(result.IsValid);
        Assert.Null(result.Config);
        var errors = result.Errors;
        ConfigAssert.HasError(errors, "publicHostname", "unknown field (line 2); did you mean \"publicHost\"?");
        ConfigAssert.HasError(errors, "hsts.maxAgeSeconds", "wrong type: expected a whole number, found the string \"one year\" (line 3)");
        ConfigAssert.HasError(errors, "hsts.enabled", "expected true or false, found the string \"yes\"");
        ConfigAssert.HasError(errors, "listeners.https.prot", "unknown field (line 4); did you mean \"port\"?");
        ConfigAssert.HasError(errors, "virtualProxies[1].prefx", "unknown field (line 7); did you mean \"prefix\"?");
        ConfigAssert.HasError(errors, "virtualProxies[1].loadBalancingServerNodes", "expected a list [ ... ], found the string \"http://127.0.0.1:4747\"");
        ConfigAssert.HasError(errors, "virtualProxies[2].authenticationMethod",
            "\"Jwt2\" is not one of Ticket, HeaderStaticUserDirectory, HeaderDynamicUserDirectory, Saml, Jwt, Oidc (any case, or Qlik's numbers 0, 1, 2, 3, 4, 5); did you mean \"Jwt\"?");
        ConfigAssert.HasError(errors, "virtualProxies[2].anonymousAccessMode", "is not one of NoAnonymousUser, AllowAnonymous, AlwaysAnonymous");
        ConfigAssert.HasError(errors, "virtualProxies[2].sameSiteAttributeHttps", "true is not one of NoAttribute, None, Lax, Strict");
        Assert.Equal(9, errors.Count);
    }

    [Fact]
    public void Parse_FieldGivenTwice_IsAnErrorNamingBothLines()
    {
        var result = ConfigLoader.Parse(
            """
            {
              "virtualProxies": [
                {
                  "prefix": "",
                  "anonymousAccessMode": 0,
                  "loadBalancingServerNodes": [ "http://127.0.0.1:4747" ],
                  "AnonymousAccessMode": 2
                }
              ]
            }
            """,
            _baseDirectory);

        var error = Assert.Single(result.Errors);
        Assert.Equal("virtualProxies[0].AnonymousAccessMode", error.Path);
        Assert.Contains("more than once", error.Message, StringComparison.Ordinal);
        Assert.Contains("(line 7)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ObjectWhereAValueBelongs_IsAWrongTypeError()
    {
        var result = ConfigLoader.Parse("""{ "publicHost": { "name": "x" }, "demoEngine": [ ], "virtualProxies": [] }""", _baseDirectory);

        ConfigAssert.HasError(result.Errors, "publicHost", "expected a string in double quotes, found an object");
        ConfigAssert.HasError(result.Errors, "demoEngine", "expected an object { ... }, found a list");
        Assert.Equal(2, result.Errors.Count);
    }

    [Fact]
    public void Parse_UnknownFieldFarFromEveryName_PointsToTheReference()
    {
        var result = ConfigLoader.Parse("""{ "somethingElseEntirely": 1, "virtualProxies": [] }""", _baseDirectory);

        var error = Assert.Single(result.Errors);
        Assert.Contains("README's configuration reference", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("did you mean", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadFile_Utf8WithByteOrderMark_IsRead()
    {
        var directory = Directory.CreateTempSubdirectory("portico-bom-");
        try
        {
            var path = Path.Combine(directory.FullName, "portico.json");
            File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes("""{ "virtualProxies": [ { "prefix": "", "loadBalancingServerNodes": [ "http://127.0.0.1:4747" ] } ] }""")]);

            ConfigAssert.IsValid(ConfigLoader.LoadFile(path));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
