using System.Text.Json;
using Portico.Configuration;
using Portico.Cors;

namespace Portico.Tests.Unit.Cors;

/// <summary>
/// CORS in the configuration: unsafe allow-list entries and Access-Control-* lines are refused when the
/// config is loaded, with the field path and the fix; the article's lines become allow-list entries and
/// never reach a response as written.
/// </summary>
public sealed class CorsConfigTests
{
    private static readonly string BaseDirectory = Path.Combine(Path.GetTempPath(), "portico-unit-" + Guid.NewGuid().ToString("N"));

    private static ConfigLoadResult Load(string[]? allowList = null, string additionalResponseHeaders = "")
    {
        var virtualProxy = new Dictionary<string, object?>
        {
            ["prefix"] = "mashups",
            ["loadBalancingServerNodes"] = new[] { "http://127.0.0.1:4747" },
            ["websocketCrossOriginWhiteList"] = allowList ?? [],
            ["additionalResponseHeaders"] = additionalResponseHeaders,
        };
        var json = JsonSerializer.Serialize(new Dictionary<string, object?> { ["virtualProxies"] = new[] { virtualProxy } });
        return ConfigLoader.Parse(json, BaseDirectory);
    }

    private static void HasError(ConfigLoadResult result, string path, params string[] fragments)
    {
        var described = string.Join(Environment.NewLine, result.Errors);
        Assert.False(result.IsValid, "expected the config to be refused");
        Assert.True(
            result.Errors.Any(e => e.Path == path && fragments.All(f => e.Message.Contains(f, StringComparison.Ordinal))),
            $"expected an error at '{path}' containing [{string.Join(", ", fragments)}]; got:{Environment.NewLine}{described}");
    }

    // CORS: "*" together with credentials in config.
    [Fact]
    public void Load_AllowOriginStarWithCredentials_IsRefusedNamingTheLineAndTheFix()
    {
        var result = Load(additionalResponseHeaders: "Access-Control-Allow-Origin: *\nAccess-Control-Allow-Credentials: true");

        HasError(result, "virtualProxies[0].additionalResponseHeaders", "line 1", "\"*\" cannot be combined with credentials", "list the mashup origins");
    }

    [Fact]
    public void Load_StarInTheHostAllowList_IsRefusedNamingTheEntry()
    {
        var result = Load(["https://a.test", "*"]);

        HasError(result, "virtualProxies[0].websocketCrossOriginWhiteList[1]", "\"*\"", "every site");
    }

    [Theory]
    [InlineData("null", "never trusted")]
    [InlineData("*.com", "at least two labels")]
    [InlineData("ex*ample.com", "whole first label")]
    [InlineData("https://a.test/app", "is not an origin")]
    public void Load_UnsafeHostAllowListEntry_IsRefused(string entry, string reason)
    {
        HasError(Load([entry]), "virtualProxies[0].websocketCrossOriginWhiteList[0]", reason);
    }

    [Fact]
    public void Load_NullHostAllowListEntry_IsRefused()
    {
        var json = """{ "virtualProxies": [ { "prefix": "m", "loadBalancingServerNodes": [ "http://127.0.0.1:4747" ], "websocketCrossOriginWhiteList": [ null ] } ] }""";

        var result = ConfigLoader.Parse(json, BaseDirectory);

        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.Path.StartsWith("virtualProxies[0].websocketCrossOriginWhiteList", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_AllowOriginLineWithAnInvalidOrigin_IsRefusedNamingIt()
    {
        var result = Load(additionalResponseHeaders: "Access-Control-Allow-Origin: https://a.test, https://b.test/app, null");

        HasError(result, "virtualProxies[0].additionalResponseHeaders", "Access-Control-Allow-Origin entry \"https://b.test/app\"");
        HasError(result, "virtualProxies[0].additionalResponseHeaders", "Access-Control-Allow-Origin entry \"null\"");
    }

    [Fact]
    public void Load_SeveralCorsMistakes_AreAllReported()
    {
        var result = Load(
            ["*", "null"],
            "Access-Control-Allow-Origin: *\nAccess-Control-Allow-Credentials: false\nAccess-Control-Max-Age: 86400\nAccess-Control-Allow-Private-Network: true");

        Assert.Equal(6, result.Errors.Count(e => e.Path.StartsWith("virtualProxies[0].", StringComparison.Ordinal)));
    }

    // CORS: several allowed origins; admin-configured ACAO lines never duplicate Portico's answer.
    [Fact]
    public void Snapshot_TheArticlesLines_BecomeAllowListEntriesAndAreNotSentAsWritten()
    {
        var result = Load(
            ["https://app.example.com"],
            "Access-Control-Allow-Origin: https://a.test, https://b.test\nAccess-Control-Allow-Credentials: true\nAccess-Control-Expose-Headers: qlik-csrf-token\nX-Frame-Options: SAMEORIGIN");
        Assert.True(result.IsValid, string.Join("; ", result.Errors));

        var snapshot = ConfigSnapshot.Create(result.Config!, BaseDirectory, version: 1);
        var virtualProxy = snapshot.VirtualProxies.FindByPrefix("mashups")!;

        Assert.DoesNotContain(virtualProxy.ResponseHeaders.Headers, h => CorsHeaderLines.IsCorsHeader(h.Key));
        Assert.Contains(virtualProxy.ResponseHeaders.Headers, h => h.Key == "X-Frame-Options");
        foreach (var origin in new[] { "https://a.test", "https://b.test", "https://app.example.com" })
        {
            Assert.True(virtualProxy.Cors.AllowList.Allows(WebOrigin.Parse(origin)!.Value), origin);
        }

        Assert.False(virtualProxy.Cors.AllowList.Allows(WebOrigin.Parse("https://c.test")!.Value));
        Assert.Equal("qlik-csrf-token", virtualProxy.Cors.ExposeHeaders.ToString());
        Assert.Contains(snapshot.Warnings, w => w.StartsWith("virtualProxies[0].additionalResponseHeaders: line 1:", StringComparison.Ordinal)
            && w.Contains("exactly the requesting origin", StringComparison.Ordinal));
    }

    [Fact]
    public void Snapshot_BareHostEntry_WarnsThatPlainHttpPagesAreAdmittedToo()
    {
        var result = Load(["mashup.example.com"]);
        Assert.True(result.IsValid, string.Join("; ", result.Errors));

        var snapshot = ConfigSnapshot.Create(result.Config!, BaseDirectory, version: 1);

        Assert.Contains(snapshot.Warnings, w => w.Contains("\"mashup.example.com\"", StringComparison.Ordinal)
            && w.Contains("https://mashup.example.com", StringComparison.Ordinal));
    }
}
