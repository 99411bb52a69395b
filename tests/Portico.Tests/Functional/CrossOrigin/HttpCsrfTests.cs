using System.Net;
using System.Text.Json;

namespace Portico.Tests.Functional.CrossOrigin;

/// <summary>
/// docs/security.md "CSRF on HTTP" on real Kestrel: the token endpoint, and cookie-authenticated unsafe
/// methods that come from another site (Sec-Fetch-Site or a foreign Origin) without the session's token.
/// The engine's echo path accepts every method, so a 200 proves the request was forwarded.
/// </summary>
public sealed class HttpCsrfTests(CrossOriginFixture fixture) : IClassFixture<CrossOriginFixture>
{
    private const string Hub = CrossOriginHost.Hub;
    private const string TokenName = CrossOriginHost.TokenName;

    public static readonly TheoryData<string> UnsafeMethods = new(["POST", "PUT", "PATCH", "DELETE"]);

    private CrossOriginHost Host => fixture.Host;

    private static string EchoPath(string prefix, string marker) => $"/{prefix}/portico-demo/echo/{marker}";

    private static void AssertCsrfRefused(HttpResponseMessage response, string body)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"expected 403, got {(int)response.StatusCode}: {body}");
        Assert.Contains("\"csrf\"", body, StringComparison.Ordinal);
    }

    private async Task<(HttpResponseMessage Response, string Body)> SendAsync(string method, string target, params (string Name, string Value)[] headers)
    {
        var response = await Host.SendAsync(new HttpMethod(method), target, headers);
        return (response, await response.Content.ReadAsStringAsync());
    }

    // CSRF on HTTP: GET /{prefix}/qps/csrftoken without a session or valid credentials → 401, no token.
    [Theory]
    [InlineData(null)]
    [InlineData("never-issued-session-id-0123456789abcdefghij")]
    [InlineData("")]
    public async Task CsrfToken_WithoutALiveSession_Is401WithoutAToken(string? sessionId)
    {
        (string, string)[] headers = sessionId is null ? [] : [("Cookie", CrossOriginHost.Cookie(Hub, sessionId))];

        var (response, _) = await SendAsync("GET", $"/{Hub}/qps/csrftoken", headers);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(response.Headers.Contains(TokenName));
    }

    [Theory]
    [InlineData("Bearer not-a-jwt")]
    [InlineData("Bearer eyJhbGciOiJub25lIn0.eyJ1c2VySWQiOiJhbGljZSJ9.")]
    public async Task CsrfToken_WithAnInvalidBearer_Is401WithoutAToken(string authorization)
    {
        var (response, _) = await SendAsync("GET", $"/{CrossOriginHost.Jwt}/qps/csrftoken", ("Authorization", authorization));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(response.Headers.Contains(TokenName));
    }

    [Fact]
    public async Task CsrfToken_ForAnotherProxysSession_Is401WithoutAToken()
    {
        var otherProxysSession = await Host.NewSessionAsync(CrossOriginHost.Jwt);

        var (response, _) = await SendAsync("GET", $"/{Hub}/qps/csrftoken", ("Cookie", CrossOriginHost.Cookie(Hub, otherProxysSession)));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(response.Headers.Contains(TokenName));
    }

    [Fact]
    public async Task CsrfToken_WithALiveSession_Is204WithTheTokenAndNoStore()
    {
        var sessionId = await Host.NewSessionAsync();

        var (response, _) = await SendAsync("GET", $"/{Hub}/qps/csrftoken", ("Cookie", CrossOriginHost.Cookie(Hub, sessionId)));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", Assert.Single(response.Headers.GetValues(TokenName)));
        Assert.True(response.Headers.CacheControl?.NoStore, "the token must not be cached");
    }

    [Fact]
    public async Task CsrfToken_SameSessionTwice_IsTheSameTokenAndAnotherSessionsDiffers()
    {
        var (first, tokenA) = await Host.LoginAsync();
        var (_, tokenB) = await Host.LoginAsync();

        Assert.Equal(tokenA, await Host.TokenAsync(Hub, first));
        Assert.NotEqual(tokenA, tokenB);
    }

    // CSRF on HTTP: csrftoken read from a disallowed origin → no CORS headers, so the browser can't read it.
    [Theory]
    [InlineData("https://evil.test")]
    [InlineData("null")]
    [InlineData("https://example.com.evil.net")]
    [InlineData("http://app.example.com.evil.net")]
    [InlineData("https://a.test.evil.net")]
    public async Task CsrfToken_ReadFromADisallowedOrigin_HasNoCorsHeaders(string origin)
    {
        var sessionId = await Host.NewSessionAsync();

        var response = await Host.RawAsync("GET", $"/{Hub}/qps/csrftoken", ("Cookie", CrossOriginHost.Cookie(Hub, sessionId)), ("Origin", origin), ("Sec-Fetch-Site", "cross-site"));

        Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(response.All("Vary"), v => v.Contains("Origin", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task CsrfToken_ReadFromAnAllowedOrigin_IsExposedToThatOriginOnly()
    {
        var sessionId = await Host.NewSessionAsync();

        var response = await Host.RawAsync("GET", $"/{Hub}/qps/csrftoken", ("Cookie", CrossOriginHost.Cookie(Hub, sessionId)), ("Origin", "https://app.example.com"), ("Sec-Fetch-Site", "cross-site"));

        Assert.Equal(204, response.Status);
        Assert.Equal(["https://app.example.com"], response.All("Access-Control-Allow-Origin"));
        Assert.Equal(["true"], response.All("Access-Control-Allow-Credentials"));
        Assert.Contains(TokenName, Assert.Single(response.All("Access-Control-Expose-Headers")).Split(',', StringSplitOptions.TrimEntries));
        Assert.Single(response.All(TokenName));
    }

    // CSRF on HTTP: cookie-authenticated POST/PUT/PATCH/DELETE with Sec-Fetch-Site: cross-site → 403 unless it carries the session's token.
    [Theory]
    [MemberData(nameof(UnsafeMethods))]
    public async Task UnsafeMethod_CookieCrossSiteWithoutToken_Is403AndNothingReachesTheEngine(string method)
    {
        var sessionId = await Host.NewSessionAsync();
        var marker = CrossOriginHost.Marker();

        var (response, body) = await SendAsync(method, EchoPath(Hub, marker), ("Cookie", CrossOriginHost.Cookie(Hub, sessionId)), ("Sec-Fetch-Site", "cross-site"));

        AssertCsrfRefused(response, body);
        Assert.False(Host.EngineSaw(marker));
        Assert.True(await Host.IsLiveAsync(Hub, sessionId));
    }

    [Theory]
    [MemberData(nameof(UnsafeMethods))]
    public async Task UnsafeMethod_CookieCrossSiteWithTheTokenHeader_Is200AndTheEngineNeverSeesTheToken(string method)
    {
        var (sessionId, token) = await Host.LoginAsync();
        var marker = CrossOriginHost.Marker();

        var (response, body) = await SendAsync(method, EchoPath(Hub, marker), ("Cookie", CrossOriginHost.Cookie(Hub, sessionId)), ("Sec-Fetch-Site", "cross-site"), (TokenName, token));

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {body}");
        Assert.DoesNotContain(token, body, StringComparison.Ordinal);
        using var echo = JsonDocument.Parse(body);
        Assert.Equal(method, echo.RootElement.GetProperty("method").GetString());
        Assert.False(echo.RootElement.GetProperty("headers").TryGetProperty(TokenName, out _));
    }

    [Theory]
    [MemberData(nameof(UnsafeMethods))]
    public async Task UnsafeMethod_CookieCrossSiteWithTheTokenInTheQuery_Is200AndTheRestOfTheQueryIsForwardedByteForByte(string method)
    {
        var (sessionId, token) = await Host.LoginAsync();
        var marker = CrossOriginHost.Marker();

        var response = await Host.RawAsync(
            method,
            $"{EchoPath(Hub, marker)}?a=%2F&{TokenName}={token}&b=x+y&c",
            ("Cookie", CrossOriginHost.Cookie(Hub, sessionId)),
            ("Sec-Fetch-Site", "cross-site"),
            ("Origin", "https://evil.test"),
            ("Content-Length", "0"));

        Assert.True(response.Status == 200, $"expected 200, got {response.Status}: {response.Body}");
        using var echo = JsonDocument.Parse(response.Body);
        Assert.Equal("?a=%2F&b=x+y&c", echo.RootElement.GetProperty("query").GetString());
        Assert.DoesNotContain(token, response.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnsafeMethod_CookieCrossSiteWithAnotherSessionsToken_Is403()
    {
        var (_, tokenOfA) = await Host.LoginAsync();
        var sessionB = await Host.NewSessionAsync();
        var marker = CrossOriginHost.Marker();

        var (response, body) = await SendAsync("POST", EchoPath(Hub, marker), ("Cookie", CrossOriginHost.Cookie(Hub, sessionB)), ("Sec-Fetch-Site", "cross-site"), (TokenName, tokenOfA));

        AssertCsrfRefused(response, body);
        Assert.False(Host.EngineSaw(marker));
    }

    // CSRF on HTTP: cookie-authenticated unsafe method with a foreign or malformed Origin → 403 unless it carries the token.
    [Theory]
    [InlineData("POST", "https://evil.test")]
    [InlineData("PUT", "null")]
    [InlineData("PATCH", "https://example.com.evil.net")]
    [InlineData("DELETE", "https://appXexample.com")]
    [InlineData("POST", "https://app.example.com/")]
    [InlineData("POST", "not an origin")]
    [InlineData("POST", "http://localhost")]
    [InlineData("PUT", "https://app.example.com, https://evil.test")]
    public async Task UnsafeMethod_CookieFromAForeignOrMalformedOrigin_Is403WithoutTokenAnd200WithIt(string method, string origin)
    {
        var (sessionId, token) = await Host.LoginAsync();
        var refused = CrossOriginHost.Marker();
        var accepted = CrossOriginHost.Marker();

        var (without, body) = await SendAsync(method, EchoPath(Hub, refused), ("Cookie", CrossOriginHost.Cookie(Hub, sessionId)), ("Origin", origin));
        var (with, _) = await SendAsync(method, EchoPath(Hub, accepted), ("Cookie", CrossOriginHost.Cookie(Hub, sessionId)), ("Origin", origin), (TokenName, token));

        AssertCsrfRefused(without, body);
        Assert.False(Host.EngineSaw(refused));
        Assert.Equal(HttpStatusCode.OK, with.StatusCode);
    }

    [Fact]
    public async Task UnsafeMethod_CookieFromAForeignOriginClaimingSameOrigin_Is403()
    {
        var sessionId = await Host.NewSessionAsync();
        var marker = CrossOriginHost.Marker();

        var (response, body) = await SendAsync("POST", EchoPath(Hub, marker), ("Cookie", CrossOriginHost.Cookie(Hub, sessionId)), ("Origin", "https://evil.test"), ("Sec-Fetch-Site", "same-origin"));

        AssertCsrfRefused(response, body);
        Assert.False(Host.EngineSaw(marker));
    }

    [Fact]
    public async Task UnsafeMethod_CookieWithTwoOriginHeaders_Is403()
    {
        var sessionId = await Host.NewSessionAsync();
        var marker = CrossOriginHost.Marker();

        var response = await Host.RawAsync(
            "POST",
            EchoPath(Hub, marker),
            ("Cookie", CrossOriginHost.Cookie(Hub, sessionId)),
            ("Origin", Host.OwnOrigin),
            ("Origin", "https://evil.test"),
            ("Content-Length", "0"));

        Assert.Equal(403, response.Status);
        Assert.False(Host.EngineSaw(marker));
    }

    // CSRF on HTTP: same, with Sec-Fetch-Site: same-site → 403 unless the sibling's origin is explicitly trusted (allow list).
    [Theory]
    [MemberData(nameof(UnsafeMethods))]
    public async Task UnsafeMethod_CookieSameSiteFromAnUnlistedSibling_Is403WithoutTokenAnd200WithIt(string method)
    {
        var (sessionId, token) = await Host.LoginAsync();
        var refused = CrossOriginHost.Marker();
        var accepted = CrossOriginHost.Marker();
        (string, string)[] sibling = [("Cookie", CrossOriginHost.Cookie(Hub, sessionId)), ("Sec-Fetch-Site", "same-site"), ("Origin", "https://intranet.localhost")];

        var (without, body) = await SendAsync(method, EchoPath(Hub, refused), sibling);
        var (with, _) = await SendAsync(method, EchoPath(Hub, accepted), [.. sibling, (TokenName, token)]);

        AssertCsrfRefused(without, body);
        Assert.False(Host.EngineSaw(refused));
        Assert.Equal(HttpStatusCode.OK, with.StatusCode);
    }

    [Fact]
    public async Task UnsafeMethod_CookieSameSiteWithoutOrigin_Is403()
    {
        var sessionId = await Host.NewSessionAsync();
        var marker = CrossOriginHost.Marker();

        var (response, body) = await SendAsync("POST", EchoPath(Hub, marker), ("Cookie", CrossOriginHost.Cookie(Hub, sessionId)), ("Sec-Fetch-Site", "same-site"));

        AssertCsrfRefused(response, body);
        Assert.False(Host.EngineSaw(marker));
    }

    [Theory]
    [InlineData("same-site", "https://app.example.com")]
    [InlineData("same-site", "https://x.secure.test")]
    [InlineData("cross-site", "https://a.test")]
    public async Task UnsafeMethod_CookieFromAnAllowListedOrigin_Is200WithoutToken(string secFetchSite, string origin)
    {
        var sessionId = await Host.NewSessionAsync();

        var (response, body) = await SendAsync("POST", EchoPath(Hub, CrossOriginHost.Marker()), ("Cookie", CrossOriginHost.Cookie(Hub, sessionId)), ("Sec-Fetch-Site", secFetchSite), ("Origin", origin));

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {body}");
    }

    // Positive controls: same-origin requests and user-initiated navigations pass without a token.
    [Theory]
    [InlineData("same-origin", null)]
    [InlineData("same-origin", "own")]
    [InlineData("none", null)]
    [InlineData(null, "own")]
    public async Task UnsafeMethod_CookieSameOriginOrUserInitiated_Is200WithoutToken(string? secFetchSite, string? origin)
    {
        var sessionId = await Host.NewSessionAsync();
        var headers = new List<(string, string)> { ("Cookie", CrossOriginHost.Cookie(Hub, sessionId)) };
        if (secFetchSite is not null)
        {
            headers.Add(("Sec-Fetch-Site", secFetchSite));
        }

        if (origin is not null)
        {
            headers.Add(("Origin", Host.OwnOrigin));
        }

        var (response, body) = await SendAsync("PUT", EchoPath(Hub, CrossOriginHost.Marker()), [.. headers]);

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {body}");
    }

    [Fact]
    public async Task UnsafeMethod_CookieWithNeitherOriginNorSecFetchSite_Is403WithoutToken()
    {
        var sessionId = await Host.NewSessionAsync();
        var marker = CrossOriginHost.Marker();

        var (response, body) = await SendAsync("POST", EchoPath(Hub, marker), ("Cookie", CrossOriginHost.Cookie(Hub, sessionId)));

        AssertCsrfRefused(response, body);
        Assert.False(Host.EngineSaw(marker));
    }

    // Qlik's REST convention, as @qlik/api sends it: xrfkey in the query and the same key in X-Qlik-Xrfkey.
    [Theory]
    [MemberData(nameof(UnsafeMethods))]
    public async Task UnsafeMethod_CookieWithTheXrfKeyPair_Is200WithoutToken(string method)
    {
        var sessionId = await Host.NewSessionAsync();
        var marker = CrossOriginHost.Marker();

        var (response, body) = await SendAsync(method, EchoPath(Hub, marker) + "?xrfkey=0123456789abcdef",
            ("Cookie", CrossOriginHost.Cookie(Hub, sessionId)), ("X-Qlik-Xrfkey", "0123456789abcdef"));

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {body}");
        Assert.True(Host.EngineSaw(marker));
    }

    [Theory]
    [InlineData("?xrfkey=0123456789abcdef", "0123456789abcdeF", null)]
    [InlineData("?xrfkey=0123456789abcde", "0123456789abcde", null)]
    [InlineData("", "0123456789abcdef", null)]
    [InlineData("?xrfkey=0123456789abcdef", "0123456789abcdef", "https://evil.example")]
    public async Task UnsafeMethod_CookieWithAWrongXrfKeyPairOrFromAForeignOrigin_Is403(string query, string header, string? origin)
    {
        var sessionId = await Host.NewSessionAsync();
        var marker = CrossOriginHost.Marker();
        (string, string)[] headers = [("Cookie", CrossOriginHost.Cookie(Hub, sessionId)), ("X-Qlik-Xrfkey", header)];
        if (origin is not null)
        {
            headers = [.. headers, ("Origin", origin)];
        }

        var (response, body) = await SendAsync("POST", EchoPath(Hub, marker) + query, headers);

        AssertCsrfRefused(response, body);
        Assert.False(Host.EngineSaw(marker));
    }

    [Fact]
    public async Task UnsafeMethod_TrustedHeaderCrossSite_NeedsTheToken()
    {
        var header = (CrossOriginHost.HeaderName, "hdr" + Guid.NewGuid().ToString("N")[..8]);
        var (tokenResponse, _) = await SendAsync("GET", $"/{CrossOriginHost.Header}/qps/csrftoken", header);
        var token = Assert.Single(tokenResponse.Headers.GetValues(TokenName));
        var refused = CrossOriginHost.Marker();

        var (without, body) = await SendAsync("POST", EchoPath(CrossOriginHost.Header, refused), header, ("Sec-Fetch-Site", "cross-site"));
        var (with, _) = await SendAsync("POST", EchoPath(CrossOriginHost.Header, CrossOriginHost.Marker()), header, ("Sec-Fetch-Site", "cross-site"), (TokenName, token));

        AssertCsrfRefused(without, body);
        Assert.False(Host.EngineSaw(refused));
        Assert.Equal(HttpStatusCode.OK, with.StatusCode);
    }

    // CSRF on HTTP: GET/HEAD/OPTIONS cross-site → allowed (and must not change state).
    [Theory]
    [InlineData("GET")]
    [InlineData("HEAD")]
    [InlineData("OPTIONS")]
    public async Task SafeMethod_CookieCrossSiteFromAForeignOrigin_IsForwarded(string method)
    {
        var sessionId = await Host.NewSessionAsync();
        var marker = CrossOriginHost.Marker();

        var (response, _) = await SendAsync(method, EchoPath(Hub, marker), ("Cookie", CrossOriginHost.Cookie(Hub, sessionId)), ("Sec-Fetch-Site", "cross-site"), ("Origin", "https://evil.test"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(Host.EngineSaw(marker));
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task SafeMethod_CrossSiteGetOfTheUserEndpoint_DoesNotLogOut()
    {
        var sessionId = await Host.NewSessionAsync();

        var (response, _) = await SendAsync("GET", $"/{Hub}/qps/user", ("Cookie", CrossOriginHost.Cookie(Hub, sessionId)), ("Sec-Fetch-Site", "cross-site"), ("Origin", "https://evil.test"), ("X-HTTP-Method-Override", "DELETE"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.True(await Host.IsLiveAsync(Hub, sessionId));
    }

    [Fact]
    public async Task Logout_CrossSiteWithoutToken_Is403AndTheSessionLives()
    {
        var sessionId = await Host.NewSessionAsync();

        var (response, body) = await SendAsync("DELETE", $"/{Hub}/qps/user", ("Cookie", CrossOriginHost.Cookie(Hub, sessionId)), ("Sec-Fetch-Site", "cross-site"), ("Origin", "https://evil.test"));

        AssertCsrfRefused(response, body);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.True(await Host.IsLiveAsync(Hub, sessionId));
    }

    // CSRF on HTTP: requests authenticated per request by Authorization: Bearer (no cookie) → no token needed.
    [Theory]
    [MemberData(nameof(UnsafeMethods))]
    public async Task UnsafeMethod_BearerWithoutCookieCrossSite_Is200WithoutToken(string method)
    {
        var bearer = "Bearer " + Authentication.TestTokens.Valid("bearer-" + method.ToUpperInvariant());

        var (response, body) = await SendAsync(method, EchoPath(CrossOriginHost.Jwt, CrossOriginHost.Marker()), ("Authorization", bearer), ("Sec-Fetch-Site", "cross-site"), ("Origin", "https://evil.test"));

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {body}");
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task UnsafeMethod_TheCookieABearerLoginIssued_IsAmbientAndNeedsTheToken()
    {
        var bearer = "Bearer " + Authentication.TestTokens.Valid("bearer-cookie");
        var (login, _) = await SendAsync("GET", EchoPath(CrossOriginHost.Jwt, CrossOriginHost.Marker()), ("Authorization", bearer));
        var cookie = Assert.Single(login.Headers.GetValues("Set-Cookie"), c => c.StartsWith(CrossOriginHost.CookieName(CrossOriginHost.Jwt) + "=", StringComparison.Ordinal)).Split(';')[0];
        var marker = CrossOriginHost.Marker();

        var (response, body) = await SendAsync("POST", EchoPath(CrossOriginHost.Jwt, marker), ("Cookie", cookie), ("Sec-Fetch-Site", "cross-site"));

        AssertCsrfRefused(response, body);
        Assert.False(Host.EngineSaw(marker));
    }

    // The refusal's code, in the body where Qlik's clients look for it.
    [Fact]
    public async Task UnsafeMethod_CookieWithAnotherSessionsToken_Is403WithTheCodeQliksClientsReadAsNotLoggedIn()
    {
        var sessionId = await Host.NewSessionAsync();
        var otherSession = await Host.NewSessionAsync();
        var (tokenResponse, _) = await SendAsync("GET", $"/{Hub}/qps/csrftoken", ("Cookie", CrossOriginHost.Cookie(Hub, otherSession)));
        var otherToken = Assert.Single(tokenResponse.Headers.GetValues(TokenName));

        var (response, body) = await SendAsync("POST", EchoPath(Hub, CrossOriginHost.Marker()), ("Cookie", CrossOriginHost.Cookie(Hub, sessionId)), (TokenName, otherToken));

        AssertCsrfRefused(response, body);
        Assert.Equal("CSRF-TOKEN-2", System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
    }

    [Fact]
    public async Task UnsafeMethod_FromAForeignOrigin_Is403WithTheOriginCode()
    {
        var sessionId = await Host.NewSessionAsync();

        var (response, body) = await SendAsync("POST", EchoPath(Hub, CrossOriginHost.Marker()), ("Cookie", CrossOriginHost.Cookie(Hub, sessionId)), ("Origin", "https://evil.example"));

        AssertCsrfRefused(response, body);
        Assert.Equal("CSRF-ORIGIN", System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
    }
}
