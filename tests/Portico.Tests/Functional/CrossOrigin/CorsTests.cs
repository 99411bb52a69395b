using System.Globalization;
using System.Text.Json;
using Portico.Configuration;
using Portico.Tests.Support;

namespace Portico.Tests.Functional.CrossOrigin;

/// <summary>
/// docs/security.md "CORS" on real Kestrel, read from the raw response so every header line counts. The
/// virtual proxies carry the lines of Qlik's article (two origins in one Access-Control-Allow-Origin
/// line, plus Allow-Credentials and Expose-Headers), which a browser would reject if sent as written.
/// </summary>
public sealed class CorsTests(CrossOriginFixture fixture) : IClassFixture<CrossOriginFixture>
{
    private const string Hub = CrossOriginHost.Hub;
    private const string AllowOrigin = "Access-Control-Allow-Origin";
    private const string AllowCredentials = "Access-Control-Allow-Credentials";
    private const string ExposeHeaders = "Access-Control-Expose-Headers";

    private CrossOriginHost Host => fixture.Host;

    private static string EchoPath(string prefix, string marker) => $"/{prefix}/portico-demo/echo/{marker}";

    private static string[] Items(IEnumerable<string> lines) =>
        lines.SelectMany(l => l.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToArray();

    private static void AssertOneCorsAnswer(RawResponse response, string origin)
    {
        Assert.Equal([origin], response.All(AllowOrigin));
        Assert.Equal(["true"], response.All(AllowCredentials));
        var exposed = Assert.Single(response.All(ExposeHeaders));
        Assert.Single(exposed.Split(',', StringSplitOptions.TrimEntries), h => h.Equals(CrossOriginHost.TokenName, StringComparison.OrdinalIgnoreCase));
        AssertVaryOriginOnce(response);
    }

    private static void AssertNoCorsAnswer(RawResponse response)
    {
        Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
        AssertVaryOriginOnce(response);
    }

    private static void AssertVaryOriginOnce(RawResponse response) =>
        Assert.Single(Items(response.All("Vary")), v => v.Equals("Origin", StringComparison.OrdinalIgnoreCase));

    private async Task<RawResponse> GetAsync(string target, string? origin, string? sessionId = null)
    {
        var headers = new List<(string, string)>();
        if (sessionId is not null)
        {
            headers.Add(("Cookie", CrossOriginHost.Cookie(Hub, sessionId)));
        }

        if (origin is not null)
        {
            headers.Add(("Origin", origin));
        }

        return await Host.RawAsync("GET", target, [.. headers]);
    }

    private Task<RawResponse> PreflightAsync(string target, string origin, string method = "DELETE") =>
        Host.RawAsync("OPTIONS", target, ("Origin", origin), ("Access-Control-Request-Method", method), ("Access-Control-Request-Headers", "qlik-csrf-token, content-type"));

    // CORS: allowed origin with credentials → ACAO exactly that origin, ACAC true, ACEH includes qlik-csrf-token, Vary: Origin.
    [Theory]
    [InlineData("https://app.example.com")]
    [InlineData("https://a.b.example.com")]
    [InlineData("http://x.example.com:8080")]
    [InlineData("https://mashup.test")]
    [InlineData("https://ports.test:8443")]
    [InlineData("https://x.secure.test")]
    public async Task Response_AllowedOrigin_HasExactlyThatOriginCredentialsTheExposedTokenAndVary(string origin)
    {
        var sessionId = await Host.NewSessionAsync();

        var response = await GetAsync(EchoPath(Hub, CrossOriginHost.Marker()), origin, sessionId);

        Assert.Equal(200, response.Status);
        AssertOneCorsAnswer(response, origin);
    }

    [Fact]
    public async Task Response_AllowedOriginWrittenInUpperCase_GetsTheSerializedOriginNotAnEcho()
    {
        var sessionId = await Host.NewSessionAsync();

        var response = await GetAsync(EchoPath(Hub, CrossOriginHost.Marker()), "HTTPS://APP.EXAMPLE.COM:443", sessionId);

        AssertOneCorsAnswer(response, "https://app.example.com");
    }

    // CORS: several allowed origins → one value per response, never a comma list; the admin's ACAO lines never duplicate it.
    [Fact]
    public async Task Response_EachOfSeveralAllowedOriginsOnEveryKindOfResponse_GetsOneValueNeverAList()
    {
        var sessionId = await Host.NewSessionAsync();
        string[] origins = ["https://a.test", "https://b.test", "https://app.example.com", "https://mashup.test"];

        foreach (var origin in origins)
        {
            var forwarded = await GetAsync(EchoPath(Hub, CrossOriginHost.Marker()), origin, sessionId);
            var unauthenticated = await GetAsync(EchoPath(Hub, CrossOriginHost.Marker()), origin);
            var token = await GetAsync($"/{Hub}/qps/csrftoken", origin, sessionId);
            var notFound = await GetAsync($"/{Hub}/qps/nothing-here", origin, sessionId);

            Assert.Equal([200, 401, 204, 404], new[] { forwarded.Status, unauthenticated.Status, token.Status, notFound.Status });
            foreach (var response in new[] { forwarded, unauthenticated, token, notFound })
            {
                AssertOneCorsAnswer(response, origin);
                Assert.DoesNotContain(',', response.Header(AllowOrigin)!);
                Assert.Equal(["nosniff"], response.All("X-Content-Type-Options"));
            }
        }
    }

    [Fact]
    public async Task Response_WithoutOrigin_NoCorsHeadersAndTheArticlesLinesAreNotSentAsWritten()
    {
        var sessionId = await Host.NewSessionAsync();

        var response = await GetAsync(EchoPath(Hub, CrossOriginHost.Marker()), origin: null, sessionId);

        Assert.Equal(200, response.Status);
        AssertNoCorsAnswer(response);
        Assert.DoesNotContain(response.Headers, h => h.Value.Contains("https://a.test", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Response_FromTheProxysOwnOrigin_NeedsNoCorsHeaders()
    {
        var sessionId = await Host.NewSessionAsync();

        var response = await GetAsync(EchoPath(Hub, CrossOriginHost.Marker()), Host.OwnOrigin, sessionId);

        Assert.Equal(200, response.Status);
        AssertNoCorsAnswer(response);
    }

    // CORS: disallowed origin, null, reflection attempts → no CORS headers; Vary: Origin still present.
    [Theory]
    [InlineData("https://evil.test")]
    [InlineData("null")]
    [InlineData("https://a.test.evil.net")]
    [InlineData("https://evila.test")]
    [InlineData("https://appXexample.com")]
    [InlineData("https://example.com")]
    [InlineData("http://a.test")]
    [InlineData("https://a.test:8443")]
    [InlineData("https://a.test, https://b.test")]
    [InlineData("https://a.test https://evil.test")]
    [InlineData("https://a.test/")]
    [InlineData("https://a.test%0d%0aAccess-Control-Allow-Origin: *")]
    [InlineData("*")]
    [InlineData("")]
    public async Task Response_DisallowedNullOrReflectionAttempt_HasNoCorsHeadersButVaryOrigin(string origin)
    {
        var sessionId = await Host.NewSessionAsync();

        var authenticated = await GetAsync(EchoPath(Hub, CrossOriginHost.Marker()), origin, sessionId);
        var unauthenticated = await GetAsync(EchoPath(Hub, CrossOriginHost.Marker()), origin);

        Assert.Equal(200, authenticated.Status);
        Assert.Equal(401, unauthenticated.Status);
        AssertNoCorsAnswer(authenticated);
        AssertNoCorsAnswer(unauthenticated);
    }

    [Fact]
    public async Task Response_TwoOriginHeadersOneAllowed_HasNoCorsHeaders()
    {
        var sessionId = await Host.NewSessionAsync();

        var response = await Host.RawAsync("GET", EchoPath(Hub, CrossOriginHost.Marker()), ("Cookie", CrossOriginHost.Cookie(Hub, sessionId)), ("Origin", "https://a.test"), ("Origin", "https://evil.test"));

        AssertNoCorsAnswer(response);
    }

    [Fact]
    public async Task Response_OnAProxyWithoutAllowList_HasNoCorsHeadersAndNoVaryOrigin()
    {
        var response = await Host.RawAsync("GET", EchoPath(CrossOriginHost.Plain, CrossOriginHost.Marker()), ("Origin", "https://a.test"));

        Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(Items(response.All("Vary")), v => v.Equals("Origin", StringComparison.OrdinalIgnoreCase));
    }

    // CORS: preflight (OPTIONS + Access-Control-Request-Method) from an allowed origin → 204, methods/headers, Max-Age ≤ 7200, no auth, not forwarded.
    [Theory]
    [InlineData("https://app.example.com", "DELETE")]
    [InlineData("https://a.test", "PUT")]
    [InlineData("https://ports.test:8443", "POST")]
    public async Task Preflight_FromAnAllowedOrigin_Is204WithoutAuthenticationAndNeverForwarded(string origin, string method)
    {
        var marker = CrossOriginHost.Marker();

        var response = await PreflightAsync(EchoPath(Hub, marker), origin, method);

        Assert.Equal(204, response.Status);
        Assert.Equal([origin], response.All(AllowOrigin));
        Assert.Equal(["true"], response.All(AllowCredentials));
        Assert.Contains(method, Items(response.All("Access-Control-Allow-Methods")));
        var allowedHeaders = Items(response.All("Access-Control-Allow-Headers"));
        Assert.Contains(allowedHeaders, h => h.Equals("qlik-csrf-token", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(allowedHeaders, h => h.Equals("content-type", StringComparison.OrdinalIgnoreCase));
        var maxAge = int.Parse(Assert.Single(response.All("Access-Control-Max-Age")), NumberStyles.None, CultureInfo.InvariantCulture);
        Assert.InRange(maxAge, 1, 7200);
        AssertVaryOriginOnce(response);
        Assert.Empty(response.All("Set-Cookie"));
        Assert.Empty(response.All("WWW-Authenticate"));
        Assert.False(Host.EngineSaw(marker), "the preflight was forwarded to the engine");
    }

    [Fact]
    public async Task Preflight_OnAWebSocketPathFromAnAllowedOrigin_IsAnsweredByPortico()
    {
        var marker = CrossOriginHost.Marker();

        var response = await PreflightAsync($"/{Hub}/app/engineData?m={marker}", "https://app.example.com", "GET");

        Assert.Equal(204, response.Status);
        Assert.False(Host.EngineSaw(marker));
    }

    // CORS: preflight from a disallowed origin → no CORS headers, not forwarded.
    [Theory]
    [InlineData("https://evil.test")]
    [InlineData("null")]
    [InlineData("https://a.test.evil.net")]
    [InlineData("http://a.test")]
    [InlineData("https://appXexample.com")]
    [InlineData("https://a.test, https://b.test")]
    public async Task Preflight_FromADisallowedOrigin_HasNoCorsHeadersAndIsNeverForwarded(string origin)
    {
        var marker = CrossOriginHost.Marker();

        var response = await PreflightAsync(EchoPath(Hub, marker), origin);

        Assert.Equal(403, response.Status);
        AssertNoCorsAnswer(response);
        Assert.False(Host.EngineSaw(marker), "the refused preflight was forwarded to the engine");
    }

    [Fact]
    public async Task Preflight_OnAProxyWithoutAllowList_IsRefusedAndNeverForwarded()
    {
        var marker = CrossOriginHost.Marker();

        var response = await PreflightAsync(EchoPath(CrossOriginHost.Plain, marker), "https://a.test");

        Assert.Equal(403, response.Status);
        Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
        Assert.False(Host.EngineSaw(marker));
    }

    // CORS: actual request after a preflight, without auth → still 401.
    [Theory]
    [InlineData("DELETE")]
    [InlineData("POST")]
    [InlineData("GET")]
    public async Task ActualRequestAfterPreflight_WithoutAuthentication_IsStill401(string method)
    {
        var marker = CrossOriginHost.Marker();
        var preflight = await PreflightAsync(EchoPath(Hub, marker), "https://app.example.com", method);
        Assert.Equal(204, preflight.Status);

        var actual = await Host.RawAsync(method, EchoPath(Hub, marker), ("Origin", "https://app.example.com"), ("Sec-Fetch-Site", "cross-site"), ("Content-Length", "0"));

        Assert.Equal(401, actual.Status);
        Assert.False(Host.EngineSaw(marker));
        AssertOneCorsAnswer(actual, "https://app.example.com");
    }

    // CORS: "*" together with credentials in config → config rejected with a clear error.
    [Fact]
    public async Task Config_AllowOriginStarWithCredentials_IsRefusedWhenLoaded()
    {
        var directory = Path.Combine(Path.GetTempPath(), "portico-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var path = Path.Combine(directory, "portico.json");
            var config = PorticoTestHost.BaseConfig(PorticoTestHost.AnonymousProxy("mashups", new Uri("http://127.0.0.1:4747")) with
            {
                WebsocketCrossOriginWhiteList = ["*"],
                AdditionalResponseHeaders = "Access-Control-Allow-Origin: *\nAccess-Control-Allow-Credentials: true\nAccess-Control-Expose-Headers: qlik-csrf-token",
            });
            await File.WriteAllTextAsync(path, JsonSerializer.Serialize(config, ConfigJson.Options));

            var loaded = ConfigLoader.LoadFile(path);

            Assert.False(loaded.IsValid);
            Assert.Contains(loaded.Errors, e => e.Path == "virtualProxies[0].additionalResponseHeaders"
                && e.Message.Contains("line 1", StringComparison.Ordinal)
                && e.Message.Contains("cannot be combined with credentials", StringComparison.Ordinal));
            Assert.Contains(loaded.Errors, e => e.Path == "virtualProxies[0].websocketCrossOriginWhiteList[0]"
                && e.Message.Contains("every site", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
