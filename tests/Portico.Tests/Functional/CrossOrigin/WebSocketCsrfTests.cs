using System.Net.WebSockets;
using Portico.Tests.Support;

namespace Portico.Tests.Functional.CrossOrigin;

/// <summary>
/// docs/security.md "WebSocket upgrade (cross-site WebSocket hijacking)" on real Kestrel: an ambient
/// credential opens an engine socket only with its session's qlik-csrf-token and from the proxy's own
/// origin or an allow-listed one; a refused upgrade never reaches the engine; the token never reaches
/// the engine or the log.
/// </summary>
public sealed class WebSocketCsrfTests(CrossOriginFixture fixture) : IClassFixture<CrossOriginFixture>
{
    private const string Hub = CrossOriginHost.Hub;
    private const string TokenName = CrossOriginHost.TokenName;

    private CrossOriginHost Host => fixture.Host;

    private string OriginFor(string? origin) => origin == "own" ? Host.OwnOrigin : origin!;

    private static (string Name, string Value)[] Headers(string cookie, string? origin, params (string Name, string Value)[] more)
    {
        var headers = new List<(string Name, string Value)> { ("Cookie", cookie) };
        if (origin is not null)
        {
            headers.Add(("Origin", origin));
        }

        headers.AddRange(more);
        return [.. headers];
    }

    private static void AssertRefused(RawResponse response, int status = 403)
    {
        Assert.True(response.Status == status, $"expected {status}, got {response.Status}: {response.Body}");
        Assert.Null(response.Header("Upgrade"));
        Assert.Null(response.Header("Sec-WebSocket-Accept"));
    }

    // WebSocket: session cookie, no qlik-csrf-token → 403, nothing reaches the engine.
    [Theory]
    [InlineData(null)]
    [InlineData("own")]
    [InlineData("https://app.example.com")]
    public async Task Upgrade_SessionCookieWithoutToken_Is403AndNothingReachesTheEngine(string? origin)
    {
        var sessionId = await Host.NewSessionAsync();
        var marker = CrossOriginHost.Marker();

        var response = await Host.UpgradeAsync($"/{Hub}/app/engineData?m={marker}", Headers(CrossOriginHost.Cookie(Hub, sessionId), origin is null ? null : OriginFor(origin)));

        AssertRefused(response);
        Assert.Contains("csrf", response.Body, StringComparison.Ordinal);
        Assert.Contains("\"code\":\"CSRF-TOKEN-2\"", response.Body, StringComparison.Ordinal);
        Assert.False(Host.EngineSaw(marker), "the refused upgrade reached the engine");
        Assert.True(await Host.IsLiveAsync(Hub, sessionId), "the refusal must not end the session");
    }

    [Theory]
    [InlineData("")]
    [InlineData("?qlik-csrf-token=")]
    public async Task Upgrade_SessionCookieWithEmptyToken_Is403(string query)
    {
        var sessionId = await Host.NewSessionAsync();
        var marker = CrossOriginHost.Marker();
        var separator = query.Length == 0 ? "?" : "&";

        var response = await Host.UpgradeAsync($"/{Hub}/app/engineData{query}{separator}m={marker}", Headers(CrossOriginHost.Cookie(Hub, sessionId), null, (TokenName, "")));

        AssertRefused(response);
        Assert.False(Host.EngineSaw(marker));
    }

    // WebSocket: token of session A with the cookie of session B → 403.
    [Theory]
    [InlineData("query")]
    [InlineData("header")]
    [InlineData("path")]
    public async Task Upgrade_TokenOfAnotherSessionWithThisCookie_Is403(string location)
    {
        var (_, tokenOfA) = await Host.LoginAsync();
        var sessionB = await Host.NewSessionAsync();
        var marker = CrossOriginHost.Marker();
        var (target, extra) = WithToken($"/{Hub}/app/engineData", marker, tokenOfA, location);

        var response = await Host.UpgradeAsync(target, Headers(CrossOriginHost.Cookie(Hub, sessionB), Host.OwnOrigin, extra));

        AssertRefused(response);
        Assert.Contains("does not belong to", response.Body, StringComparison.Ordinal);
        Assert.False(Host.EngineSaw(marker));
    }

    [Fact]
    public async Task Upgrade_TokenOfTheSameUserOnAnotherProxy_Is403()
    {
        var (_, tokenOnJwtProxy) = await Host.LoginAsync(CrossOriginHost.Jwt);
        var sessionOnHub = await Host.NewSessionAsync();
        var marker = CrossOriginHost.Marker();

        var response = await Host.UpgradeAsync($"/{Hub}/app/engineData?{TokenName}={tokenOnJwtProxy}&m={marker}", Headers(CrossOriginHost.Cookie(Hub, sessionOnHub), null));

        AssertRefused(response);
        Assert.False(Host.EngineSaw(marker));
    }

    // WebSocket: valid token, Origin not allowed → 403.
    [Theory]
    [InlineData("https://evil.test")]
    [InlineData("https://localhost")]
    [InlineData("http://localhost")]
    [InlineData("https://portico.evil.test")]
    public async Task Upgrade_ValidTokenFromAnOriginNotAllowed_Is403(string origin)
    {
        var (sessionId, token) = await Host.LoginAsync();
        var marker = CrossOriginHost.Marker();

        var response = await Host.UpgradeAsync($"/{Hub}/app/engineData?{TokenName}={token}&m={marker}", Headers(CrossOriginHost.Cookie(Hub, sessionId), origin));

        AssertRefused(response);
        Assert.Contains("Origin", response.Body, StringComparison.Ordinal);
        Assert.False(Host.EngineSaw(marker));
    }

    [Fact]
    public async Task Upgrade_ValidTokenFromOwnHostOnAnotherSchemeOrPort_Is403()
    {
        var (sessionId, token) = await Host.LoginAsync();
        string[] origins = [$"http://localhost:{Host.Portico.HttpsPort}", $"https://localhost:{Host.Portico.HttpsPort + 1}", $"http://localhost:{Host.Portico.HttpPort}"];

        foreach (var origin in origins)
        {
            var marker = CrossOriginHost.Marker();
            var response = await Host.UpgradeAsync($"/{Hub}/app/engineData?{TokenName}={token}&m={marker}", Headers(CrossOriginHost.Cookie(Hub, sessionId), origin));

            Assert.True(response.Status == 403, $"{origin}: {response.Status}");
            Assert.False(Host.EngineSaw(marker), origin);
        }
    }

    // WebSocket: Origin null, lookalike origins, wrong scheme, unlisted port → 403 (exact match; wildcards match whole labels only).
    [Theory]
    [InlineData("null")]
    [InlineData("https://example.com.evil.net")]
    [InlineData("https://evilexample.com")]
    [InlineData("https://appXexample.com")]
    [InlineData("https://example.com")]
    [InlineData("https://app.example.com.evil.net")]
    [InlineData("https://a.test.evil.net")]
    [InlineData("https://evila.test")]
    [InlineData("http://mashup.test")]
    [InlineData("http://a.test")]
    [InlineData("http://a.secure.test")]
    [InlineData("https://mashup.test:8443")]
    [InlineData("https://a.test:444")]
    [InlineData("https://ports.test")]
    [InlineData("https://ports.test:9443")]
    [InlineData("https://app.example.com/")]
    [InlineData("https://app.example.com, https://evil.test")]
    [InlineData("https://user@app.example.com")]
    public async Task Upgrade_ValidTokenFromNullLookalikeWrongSchemeOrUnlistedPortOrigin_Is403(string origin)
    {
        var (sessionId, token) = await Host.LoginAsync();
        var marker = CrossOriginHost.Marker();

        var response = await Host.UpgradeAsync($"/{Hub}/app/engineData?{TokenName}={token}&m={marker}", Headers(CrossOriginHost.Cookie(Hub, sessionId), origin));

        AssertRefused(response);
        Assert.False(Host.EngineSaw(marker), $"the upgrade from {origin} reached the engine");
    }

    [Fact]
    public async Task Upgrade_TwoOriginHeadersOneOfThemAllowed_Is403()
    {
        var (sessionId, token) = await Host.LoginAsync();
        var marker = CrossOriginHost.Marker();

        var response = await Host.UpgradeAsync(
            $"/{Hub}/app/engineData?{TokenName}={token}&m={marker}",
            ("Cookie", CrossOriginHost.Cookie(Hub, sessionId)),
            ("Origin", "https://app.example.com"),
            ("Origin", "https://evil.test"));

        AssertRefused(response);
        Assert.False(Host.EngineSaw(marker));
    }

    [Fact]
    public async Task Upgrade_OriginNotAllowedOnAnAnonymousProxyWithoutAnyCredential_Is403()
    {
        var marker = CrossOriginHost.Marker();

        var response = await Host.UpgradeAsync($"/{CrossOriginHost.Anon}/app/engineData?m={marker}", ("Origin", "https://evil.test"));

        AssertRefused(response);
        Assert.False(Host.EngineSaw(marker));
    }

    /// <summary>A refused page must not leave a login behind: no anonymous session cookie planted through the attempt.</summary>
    [Fact]
    public async Task Upgrade_OriginNotAllowedOnAnAnonymousProxy_PlantsNoSessionCookie()
    {
        var response = await Host.UpgradeAsync($"/{CrossOriginHost.Anon}/app/engineData", ("Origin", "https://evil.test"));

        AssertRefused(response);
        Assert.Empty(response.All("Set-Cookie"));
    }

    // Positive control for the rows above: the proxy's own origin, no Origin, and every kind of allow-list entry pass with the token.
    [Theory]
    [InlineData(null)]
    [InlineData("own")]
    [InlineData("https://app.example.com")]
    [InlineData("https://a.b.example.com")]
    [InlineData("http://x.example.com:8080")]
    [InlineData("https://mashup.test")]
    [InlineData("https://ports.test:8443")]
    [InlineData("https://x.secure.test")]
    [InlineData("https://a.test")]
    [InlineData("https://b.test")]
    public async Task Upgrade_ValidTokenFromOwnOrAllowedOrigin_Is101AndReachesTheEngine(string? origin)
    {
        var (sessionId, token) = await Host.LoginAsync();
        var marker = CrossOriginHost.Marker();

        var response = await Host.UpgradeAsync($"/{Hub}/app/engineData?{TokenName}={token}&m={marker}", Headers(CrossOriginHost.Cookie(Hub, sessionId), origin is null ? null : OriginFor(origin)));

        Assert.True(response.Status == 101, $"expected 101, got {response.Status}: {response.Body}");
        await Eventually.TrueAsync(() => Host.EngineSaw(marker), TimeSpan.FromSeconds(5), "the upgrade to reach the engine");
    }

    [Theory]
    [InlineData("query")]
    [InlineData("header")]
    [InlineData("path")]
    public async Task Upgrade_ValidTokenInEachLocation_ReachesTheEngineWithoutTheToken(string location)
    {
        var (sessionId, token) = await Host.LoginAsync();
        var marker = CrossOriginHost.Marker();
        var (target, extra) = WithToken($"/{Hub}/app/engineData", marker, token, location);

        var response = await Host.UpgradeAsync(target, Headers(CrossOriginHost.Cookie(Hub, sessionId), "https://app.example.com", extra));

        Assert.True(response.Status == 101, $"expected 101, got {response.Status}: {response.Body}");
        await Eventually.TrueAsync(() => Host.EngineSaw(marker), TimeSpan.FromSeconds(5), "the upgrade to reach the engine");
        var seen = Host.EngineRequest(marker);
        Assert.True(seen.IsWebSocket);
        Assert.Equal("/app/engineData", seen.Path);
        Assert.Equal($"?m={marker}", seen.QueryString);
        Assert.False(seen.Headers.ContainsKey(TokenName), "the token header reached the engine");
        Assert.DoesNotContain(seen.Headers.Values, v => v.Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Upgrade_RealClientWithTokenHeaderFromAnAllowedOrigin_GetsAWorkingEngineSession()
    {
        var (sessionId, token) = await Host.LoginAsync();

        await using var socket = await Host.OpenEngineSocketAsync(
            $"/{Hub}/app/engineData",
            Hub,
            sessionId,
            new Dictionary<string, string> { [TokenName] = token, ["Origin"] = "https://app.example.com" });

        var answer = await socket.CallAsync("GetAuthenticatedUser");
        Assert.StartsWith("UserDirectory=CORP; UserId=u", answer.GetProperty("result").GetProperty("qReturn").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upgrade_RealClientWithoutToken_CannotConnect()
    {
        var sessionId = await Host.NewSessionAsync();

        await Assert.ThrowsAsync<WebSocketException>(() => Host.OpenEngineSocketAsync($"/{Hub}/app/engineData", Hub, sessionId));
    }

    // A trusted header is as ambient as a cookie: the same rules apply.
    [Fact]
    public async Task Upgrade_TrustedHeaderCredential_NeedsItsSessionsToken()
    {
        var header = (CrossOriginHost.HeaderName, "hdr" + Guid.NewGuid().ToString("N")[..8]);
        using var client = Host.Portico.CreateClient();
        var token = await client.CsrfTokenAsync(CrossOriginHost.Header, r => r.Headers.Add(header.Item1, header.Item2));
        var refused = CrossOriginHost.Marker();
        var accepted = CrossOriginHost.Marker();

        var without = await Host.UpgradeAsync($"/{CrossOriginHost.Header}/app/engineData?m={refused}", header);
        var with = await Host.UpgradeAsync($"/{CrossOriginHost.Header}/app/engineData?{TokenName}={token}&m={accepted}", header);

        AssertRefused(without);
        Assert.False(Host.EngineSaw(refused));
        Assert.True(with.Status == 101, $"expected 101, got {with.Status}: {with.Body}");
    }

    // Explicit credentials cannot be attached by another site: no token needed, but the Origin rule still holds.
    [Fact]
    public async Task Upgrade_BearerWithoutToken_Is101()
    {
        var marker = CrossOriginHost.Marker();

        var response = await Host.UpgradeAsync($"/{CrossOriginHost.Jwt}/app/engineData?m={marker}", ("Authorization", "Bearer " + Authentication.TestTokens.Valid("bearer-ws")));

        Assert.True(response.Status == 101, $"expected 101, got {response.Status}: {response.Body}");
        await Eventually.TrueAsync(() => Host.EngineSaw(marker), TimeSpan.FromSeconds(5), "the upgrade to reach the engine");
    }

    [Fact]
    public async Task Upgrade_BearerFromAnOriginNotAllowed_Is403()
    {
        var marker = CrossOriginHost.Marker();

        var response = await Host.UpgradeAsync(
            $"/{CrossOriginHost.Jwt}/app/engineData?m={marker}",
            ("Authorization", "Bearer " + Authentication.TestTokens.Valid("bearer-ws")),
            ("Origin", "https://evil.test"));

        AssertRefused(response);
        Assert.False(Host.EngineSaw(marker));
    }

    [Fact]
    public async Task Upgrade_TicketWithoutToken_Is101()
    {
        var ticket = await Host.Api.TicketAsync(Hub, "CORP", "ticket-ws");
        var marker = CrossOriginHost.Marker();

        var response = await Host.UpgradeAsync($"/{Hub}/app/engineData?qlikTicket={ticket}&m={marker}", ("Origin", "https://app.example.com"));

        Assert.True(response.Status == 101, $"expected 101, got {response.Status}: {response.Body}");
        await Eventually.TrueAsync(() => Host.EngineSaw(marker), TimeSpan.FromSeconds(5), "the upgrade to reach the engine");
    }

    [Fact]
    public async Task Upgrade_FreshAnonymousLoginWithoutToken_Is101()
    {
        var marker = CrossOriginHost.Marker();

        var response = await Host.UpgradeAsync($"/{CrossOriginHost.Anon}/app/engineData?m={marker}", ("Origin", "https://app.example.com"));

        Assert.True(response.Status == 101, $"expected 101, got {response.Status}: {response.Body}");
        await Eventually.TrueAsync(() => Host.EngineSaw(marker), TimeSpan.FromSeconds(5), "the upgrade to reach the engine");
    }

    [Fact]
    public async Task Upgrade_OnAProxyWithoutAllowList_OnlyTheOwnOriginPasses()
    {
        var (sessionId, token) = await Host.LoginAsync(CrossOriginHost.Plain);
        var foreign = CrossOriginHost.Marker();
        var own = CrossOriginHost.Marker();
        var cookie = CrossOriginHost.Cookie(CrossOriginHost.Plain, sessionId);

        var fromAllowListedElsewhere = await Host.UpgradeAsync($"/{CrossOriginHost.Plain}/app/engineData?{TokenName}={token}&m={foreign}", ("Cookie", cookie), ("Origin", "https://app.example.com"));
        var fromOwn = await Host.UpgradeAsync($"/{CrossOriginHost.Plain}/app/engineData?{TokenName}={token}&m={own}", ("Cookie", cookie), ("Origin", Host.OwnOrigin));

        AssertRefused(fromAllowListedElsewhere);
        Assert.False(Host.EngineSaw(foreign));
        Assert.True(fromOwn.Status == 101, $"expected 101, got {fromOwn.Status}: {fromOwn.Body}");
    }

    // WebSocket: upgrade on the plain HTTP listener while HTTPS is on → refused, not redirected.
    [Fact]
    public async Task Upgrade_OnThePlainHttpListener_IsRefusedNotRedirected()
    {
        var (sessionId, token) = await Host.LoginAsync();
        var marker = CrossOriginHost.Marker();
        var head = CrossOriginHost.UpgradeHead(
            $"/{Hub}/app/engineData?{TokenName}={token}&m={marker}",
            Host.Portico.HttpPort,
            [("Cookie", CrossOriginHost.Cookie(Hub, sessionId)), ("Origin", Host.OwnOrigin)]);

        var response = await RawHttp.SendAsync(Host.Portico.HttpPort, head, caPath: null);

        Assert.Equal(400, response.Status);
        Assert.Null(response.Header("Location"));
        Assert.Null(response.Header("Upgrade"));
        Assert.Null(response.Header("Strict-Transport-Security"));
        Assert.Contains("wss://", response.Body, StringComparison.Ordinal);
        Assert.False(Host.EngineSaw(marker));
    }

    // WebSocket: token in the URL → never written to logs (and never forwarded).
    [Fact]
    public async Task TokenInTheUrl_AcceptedOrRefused_NeverAppearsInTheLogOrAtTheEngine()
    {
        var (sessionId, token) = await Host.LoginAsync();
        var (otherSession, otherToken) = await Host.LoginAsync();
        var cookie = CrossOriginHost.Cookie(Hub, sessionId);
        var markers = Enumerable.Range(0, 5).Select(_ => CrossOriginHost.Marker()).ToArray();

        var inQuery = await Host.UpgradeAsync($"/{Hub}/app/engineData?{TokenName}={token}&m={markers[0]}", ("Cookie", cookie));
        var inPath = await Host.UpgradeAsync($"/{Hub}/app/engineData&{TokenName}={token}?m={markers[1]}", ("Cookie", cookie));
        var wrongSession = await Host.UpgradeAsync($"/{Hub}/app/engineData?{TokenName}={otherToken}&m={markers[2]}", ("Cookie", cookie));
        var wrongOrigin = await Host.UpgradeAsync($"/{Hub}/app/engineData?{TokenName}={token}&m={markers[3]}", ("Cookie", cookie), ("Origin", "https://evil.test"));
        var pageWithToken = await Host.SendAsync(HttpMethod.Post, $"/{Hub}/portico-demo/echo/{markers[4]}?{TokenName}={otherToken}", ("Cookie", CrossOriginHost.Cookie(Hub, otherSession)), ("Sec-Fetch-Site", "cross-site"));

        Assert.Equal([101, 101, 403, 403], new[] { inQuery.Status, inPath.Status, wrongSession.Status, wrongOrigin.Status });
        Assert.Equal(System.Net.HttpStatusCode.OK, pageWithToken.StatusCode);
        await Eventually.TrueAsync(() => Host.EngineSaw(markers[1]), TimeSpan.FromSeconds(5), "the path-form upgrade to reach the engine");
        Assert.Contains(Host.Portico.Logs.Lines, l => l.EventId == 6101);
        foreach (var secret in new[] { token, otherToken })
        {
            Assert.DoesNotContain(secret, Host.Portico.Logs.AllText, StringComparison.Ordinal);
            Assert.DoesNotContain(Host.Engine.ObservedRequests, r =>
                r.Path.Contains(secret, StringComparison.Ordinal)
                || r.QueryString.Contains(secret, StringComparison.Ordinal)
                || r.Headers.Values.Any(v => v.Contains(secret, StringComparison.Ordinal)));
        }
    }

    // WebSocket: engine answers the upgrade with anything but 101 → no tunnel.
    [Theory]
    [InlineData("portico-demo/echo", 200)]
    [InlineData("no-such-engine-path", 404)]
    public async Task Upgrade_EngineAnswersWithoutSwitchingProtocols_ClientGetsThatAnswerAndNoTunnel(string enginePath, int engineStatus)
    {
        var (sessionId, token) = await Host.LoginAsync();
        var marker = CrossOriginHost.Marker();

        var response = await Host.UpgradeAsync($"/{Hub}/{enginePath}/{marker}?{TokenName}={token}", ("Cookie", CrossOriginHost.Cookie(Hub, sessionId)));

        Assert.Equal(engineStatus, response.Status);
        Assert.Null(response.Header("Upgrade"));
        Assert.Null(response.Header("Sec-WebSocket-Accept"));
        Assert.False(string.Equals(response.Header("Connection"), "upgrade", StringComparison.OrdinalIgnoreCase));
        Assert.True(Host.EngineSaw(marker), "the upgrade should have been forwarded to the engine");
    }

    private static (string Target, (string Name, string Value)[] Headers) WithToken(string path, string marker, string token, string location) => location switch
    {
        "query" => ($"{path}?{TokenName}={token}&m={marker}", []),
        "header" => ($"{path}?m={marker}", [(TokenName, token)]),
        "path" => ($"{path}&{TokenName}={token}?m={marker}", []),
        _ => throw new ArgumentOutOfRangeException(nameof(location)),
    };
}
