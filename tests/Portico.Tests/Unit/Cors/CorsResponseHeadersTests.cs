using Microsoft.Net.Http.Headers;
using Portico.Cors;
using Portico.ResponseHeaders;

namespace Portico.Tests.Unit.Cors;

/// <summary>
/// The CORS headers of one response (docs/security.md, CORS): an allowed origin gets exactly its own origin,
/// credentials and the exposed token header; nothing else gets any CORS header; Vary: Origin whenever
/// the virtual proxy does CORS at all; whatever the engine sent is replaced.
/// </summary>
public sealed class CorsResponseHeadersTests
{
    private static readonly WebOrigin Mashup = WebOrigin.Parse("https://mashup.example.com")!.Value;

    private static CorsPolicy Policy(string adminLines = "", params string[] entries)
    {
        var allowList = OriginAllowList.TryCreate(entries.Length == 0 ? ["https://mashup.example.com", "https://other.example.com:8443"] : entries, out _)!;
        return new CorsPolicy(allowList, CorsHeaderLines.Extract(AdditionalHeaderParser.Parse(adminLines).Lines));
    }

    private static HeaderDictionary Headers(params (string Name, string Value)[] headers)
    {
        var dictionary = new HeaderDictionary();
        foreach (var (name, value) in headers)
        {
            dictionary.Append(name, value);
        }

        return dictionary;
    }

    private static string[] Values(Microsoft.Extensions.Primitives.StringValues values) => values.Select(v => v ?? "").ToArray();

    private static string[] VaryTokens(IHeaderDictionary headers) =>
        headers.Vary.SelectMany(v => v!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToArray();

    // CORS: allowed origin with credentials.
    [Fact]
    public void Apply_AllowedOrigin_EchoesExactlyThatOriginWithCredentialsExposedTokenAndVary()
    {
        IHeaderDictionary headers = Headers();

        CorsResponseHeaders.Apply(headers, Policy(), Mashup.ToString());

        Assert.Equal("https://mashup.example.com", Assert.Single(headers.AccessControlAllowOrigin.ToArray()));
        Assert.Equal("true", Assert.Single(headers.AccessControlAllowCredentials.ToArray()));
        var exposed = Assert.Single(headers.AccessControlExposeHeaders.ToArray())!;
        Assert.Contains("qlik-csrf-token", exposed.Split(',', StringSplitOptions.TrimEntries));
        Assert.Equal(["Origin"], VaryTokens(headers));
    }

    [Fact]
    public void Apply_AllowedOriginWithPort_EchoesTheSerializedOriginWithItsPort()
    {
        IHeaderDictionary headers = Headers();

        CorsResponseHeaders.Apply(headers, Policy(), WebOrigin.Parse("https://OTHER.example.com:8443")!.Value.ToString());

        Assert.Equal("https://other.example.com:8443", headers.AccessControlAllowOrigin.ToString());
    }

    // CORS: several allowed origins still give one value; admin and engine values never add a second.
    [Fact]
    public void Apply_EngineOrAdminAlreadySentCorsHeaders_TheyAreReplacedByOneValueEach()
    {
        IHeaderDictionary headers = Headers(
            (HeaderNames.AccessControlAllowOrigin, "https://a.test, https://b.test"),
            (HeaderNames.AccessControlAllowOrigin, "*"),
            (HeaderNames.AccessControlAllowCredentials, "true"),
            (HeaderNames.AccessControlAllowCredentials, "true"),
            (HeaderNames.AccessControlExposeHeaders, "qlik-csrf-token"));

        CorsResponseHeaders.Apply(headers, Policy(), Mashup.ToString());

        Assert.Equal(["https://mashup.example.com"], Values(headers.AccessControlAllowOrigin));
        Assert.Equal(["true"], Values(headers.AccessControlAllowCredentials));
        var exposed = Assert.Single(headers.AccessControlExposeHeaders.ToArray())!;
        Assert.Single(exposed.Split(',', StringSplitOptions.TrimEntries), h => h.Equals("qlik-csrf-token", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Apply_ExistingVary_OriginIsMergedIntoIt()
    {
        IHeaderDictionary headers = Headers((HeaderNames.Vary, "Accept-Encoding"));

        CorsResponseHeaders.Apply(headers, Policy(), Mashup.ToString());

        Assert.Equal(["Accept-Encoding", "Origin"], VaryTokens(headers));
    }

    [Theory]
    [InlineData("Origin")]
    [InlineData("origin")]
    [InlineData("Accept-Encoding, Origin")]
    [InlineData("*")]
    public void Apply_VaryAlreadyCoversOrigin_OriginIsNotAddedAgain(string vary)
    {
        IHeaderDictionary headers = Headers((HeaderNames.Vary, vary));

        CorsResponseHeaders.Apply(headers, Policy(), Mashup.ToString());

        Assert.Equal(vary.Split(',', StringSplitOptions.TrimEntries), VaryTokens(headers));
    }

    [Fact]
    public void Apply_CalledTwice_VaryOriginStillOnce()
    {
        IHeaderDictionary headers = Headers();

        CorsResponseHeaders.Apply(headers, Policy(), Mashup.ToString());
        CorsResponseHeaders.Apply(headers, Policy(), Mashup.ToString());

        Assert.Equal(["Origin"], VaryTokens(headers));
        Assert.Single(headers.AccessControlAllowOrigin.ToArray());
    }

    [Fact]
    public void Apply_VarySentAsSeveralFieldLines_OriginIsAddedOnce()
    {
        IHeaderDictionary headers = Headers((HeaderNames.Vary, "Accept-Encoding"), (HeaderNames.Vary, "Cookie"));

        CorsResponseHeaders.Apply(headers, Policy(), Mashup.ToString());

        Assert.Equal(["Accept-Encoding", "Cookie", "Origin"], VaryTokens(headers));
    }

    // CORS: disallowed origin, "null", reflection attempts: no CORS headers, Vary: Origin still present.
    [Fact]
    public void Apply_NotAllowedOrigin_NoCorsHeadersButVaryOrigin()
    {
        var headers = Headers();

        CorsResponseHeaders.Apply(headers, Policy(), allowedOrigin: null);

        Assert.False(headers.ContainsKey(HeaderNames.AccessControlAllowOrigin));
        Assert.False(headers.ContainsKey(HeaderNames.AccessControlAllowCredentials));
        Assert.False(headers.ContainsKey(HeaderNames.AccessControlExposeHeaders));
        Assert.Equal(["Origin"], VaryTokens(headers));
    }

    [Fact]
    public void Apply_NotAllowedOriginButTheEngineReflectedIt_EngineHeadersAreRemoved()
    {
        var headers = Headers(
            (HeaderNames.AccessControlAllowOrigin, "https://evil.test"),
            (HeaderNames.AccessControlAllowCredentials, "true"),
            (HeaderNames.AccessControlExposeHeaders, "qlik-csrf-token"));

        CorsResponseHeaders.Apply(headers, Policy(), allowedOrigin: null);

        Assert.False(headers.ContainsKey(HeaderNames.AccessControlAllowOrigin));
        Assert.False(headers.ContainsKey(HeaderNames.AccessControlAllowCredentials));
        Assert.False(headers.ContainsKey(HeaderNames.AccessControlExposeHeaders));
        Assert.Equal(["Origin"], VaryTokens(headers));
    }

    [Fact]
    public void Apply_VirtualProxyWithEmptyAllowList_AddsNothingAtAllAndDropsEngineCorsHeaders()
    {
        var headers = Headers(
            (HeaderNames.AccessControlAllowOrigin, "*"),
            (HeaderNames.AccessControlAllowCredentials, "true"),
            (HeaderNames.AccessControlExposeHeaders, "qlik-csrf-token"));
        var policy = new CorsPolicy(OriginAllowList.Empty);

        CorsResponseHeaders.Apply(headers, policy, allowedOrigin: null);

        Assert.False(policy.IsEnabled);
        Assert.False(headers.ContainsKey(HeaderNames.AccessControlAllowOrigin));
        Assert.False(headers.ContainsKey(HeaderNames.AccessControlAllowCredentials));
        Assert.False(headers.ContainsKey(HeaderNames.AccessControlExposeHeaders));
        Assert.False(headers.ContainsKey(HeaderNames.Vary));
    }

    [Fact]
    public void Apply_EmptyAllowListEvenWithAFeature_AddsNothing()
    {
        IHeaderDictionary headers = Headers();

        CorsResponseHeaders.Apply(headers, new CorsPolicy(OriginAllowList.Empty), Mashup.ToString());

        Assert.Empty(headers);
    }

    // CORS: preflight from an allowed origin.
    [Fact]
    public void ApplyPreflight_AllowedOrigin_SendsOneOriginCredentialsMethodsHeadersAndMaxAge()
    {
        IHeaderDictionary headers = Headers();

        CorsResponseHeaders.ApplyPreflight(headers, Policy(), Mashup);

        Assert.Equal(["https://mashup.example.com"], Values(headers.AccessControlAllowOrigin));
        Assert.Equal("true", headers.AccessControlAllowCredentials.ToString());
        var methods = headers.AccessControlAllowMethods.ToString().Split(',', StringSplitOptions.TrimEntries);
        Assert.Contains("POST", methods);
        Assert.Contains("DELETE", methods);
        var allowed = headers.AccessControlAllowHeaders.ToString().Split(',', StringSplitOptions.TrimEntries);
        Assert.Contains("qlik-csrf-token", allowed);
        Assert.Contains("Content-Type", allowed);
        Assert.InRange(int.Parse(headers.AccessControlMaxAge.ToString(), System.Globalization.CultureInfo.InvariantCulture), 0, CorsHeaderLines.MaxAgeLimitSeconds);
        Assert.Equal(["Origin"], VaryTokens(headers));
    }

    [Fact]
    public void ApplyPreflight_ThenApplyOnTheSameResponse_StillOneValueEach()
    {
        IHeaderDictionary headers = Headers();
        var policy = Policy();

        CorsResponseHeaders.ApplyPreflight(headers, policy, Mashup);
        CorsResponseHeaders.Apply(headers, policy, Mashup.ToString());

        Assert.Equal(["https://mashup.example.com"], Values(headers.AccessControlAllowOrigin));
        Assert.Equal(["true"], Values(headers.AccessControlAllowCredentials));
        Assert.Equal(["Origin"], VaryTokens(headers));
    }
}
