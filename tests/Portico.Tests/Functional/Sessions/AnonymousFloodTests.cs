using System.Net;
using System.Net.WebSockets;
using Portico.Configuration;
using Portico.Sessions;
using Portico.Tests.Functional.CrossOrigin;
using Portico.Tests.Support;

namespace Portico.Tests.Functional.Sessions;

/// <summary>
/// What clients without a session can make Portico keep. A session is made only for a request that
/// needs one (it reaches an engine, or asks for a CSRF token or who it is), never for a request that
/// is refused or answered by Portico; live sessions are capped (503 with Retry-After for new anonymous
/// visitors, while cookie holders and logins with a credential still get in); one client address has
/// a budget of new anonymous sessions (429); a session whose cookie never comes back ends after a
/// short grace; and one expiry sweep ends any number of them. Each test has its own Portico, as they
/// count the node's live sessions.
/// </summary>
public sealed class AnonymousFloodTests
{
    private const string Anon = "anon";

    private static readonly ClientLimitsConfig NoClientLimit = new() { AnonymousSessionsPerMinute = 0 };

    private static Task<SessionsHost> StartAsync(SessionsConfig? sessions = null, ClientLimitsConfig? clientLimits = null) =>
        SessionsHost.StartAsync(
            engine => [SessionsHost.AllowsAnonymous(Anon, engine) with { WebsocketCrossOriginWhiteList = ["https://app.example.com"] }],
            sessions,
            clientLimits ?? NoClientLimit);

    private static SessionManager SessionsOf(SessionsHost host) => host.Portico.Services.GetRequiredService<SessionManager>();

    /// <summary>A cookieless GET of the engine's echo page: a new anonymous visitor. Returns the session id its cookie carries.</summary>
    private static async Task<string> NewVisitorAsync(SessionsHost host)
    {
        using var response = await host.EchoAsync(Anon, sessionId: null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return SetCookieHeader.Single(response, SessionsHost.CookieName(Anon)).Value;
    }

    [Fact]
    public async Task CookielessRequests_RefusedOrAnsweredByPortico_CreateNoSession_OnlyThoseThatNeedOneDo()
    {
        await using var host = await StartAsync();
        var sessions = SessionsOf(host);
        var port = host.Portico.HttpsPort;
        var ca = host.Portico.CaPath;
        var marker = CrossOriginHost.Marker();

        var answered = new[]
        {
            // Portico's own 404 under /qps/.
            await RawHttp.SendAsync(port, $"GET /{Anon}/qps/nothing?m={marker} HTTP/1.1\nHost: localhost\n", ca),

            // Refused methods, origins and protocols.
            await RawHttp.SendAsync(port, $"TRACE /{Anon}/{SessionsHost.EchoPath}?m={marker} HTTP/1.1\nHost: localhost\n", ca),
            await RawHttp.SendAsync(port, CrossOriginHost.UpgradeHead($"/{Anon}/app/engineData?m={marker}", port, [("Origin", "https://evil.test")]), ca),
            await RawHttp.SendAsync(port, $"GET /{Anon}/{SessionsHost.EchoPath}?m={marker} HTTP/1.1\nHost: localhost\nConnection: Upgrade\nUpgrade: h2c\n", ca),

            // A CORS preflight from an allowed origin.
            await RawHttp.SendAsync(port, $"OPTIONS /{Anon}/{SessionsHost.EchoPath}?m={marker} HTTP/1.1\nHost: localhost\nOrigin: https://app.example.com\nAccess-Control-Request-Method: POST\n", ca),
        };

        Assert.Equal([404, 405, 403, 400, 204], answered.Select(r => r.Status));
        Assert.All(answered, r => Assert.Empty(r.All("Set-Cookie")));
        Assert.Equal(0, sessions.LiveCount);
        Assert.False(host.Engine.Saw(marker), "a refused request reached the engine");

        using var forwarded = await host.EchoAsync(Anon, sessionId: null);
        Assert.Equal(HttpStatusCode.OK, forwarded.StatusCode);
        SetCookieHeader.Single(forwarded, SessionsHost.CookieName(Anon));
        Assert.Equal(1, sessions.LiveCount);

        using var token = await host.GetAsync($"{Anon}/qps/csrftoken");
        Assert.Equal(HttpStatusCode.NoContent, token.StatusCode);
        SetCookieHeader.Single(token, SessionsHost.CookieName(Anon));
        Assert.Equal(2, sessions.LiveCount);
    }

    [Fact]
    public async Task SessionCap_FourthCookielessVisitor_Gets503WithRetryAfter_WhileCookieHoldersAndTicketLoginsGetIn()
    {
        await using var host = await StartAsync(new SessionsConfig { MaxLiveSessions = 3 });
        var sessions = SessionsOf(host);
        var visitors = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            visitors.Add(await NewVisitorAsync(host));
        }

        var marker = CrossOriginHost.Marker();
        using var refused = await host.GetAsync($"{Anon}/{SessionsHost.EchoPath}/{marker}");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"Retry-After: {refused.Headers.RetryAfter}");
        Assert.Empty(SetCookieHeader.All(refused));
        Assert.False(host.Engine.Saw(marker), "the refused visitor reached the engine");
        Assert.Equal(3, sessions.LiveCount);

        // Only new anonymous visitors wait: a visitor who has a session keeps using it...
        Assert.Equal(HttpStatusCode.OK, await host.EchoStatusAsync(Anon, visitors[0]));

        // ...and a login with a credential from a trusted issuer is admitted beyond the cap.
        var ticket = (await host.Api.IssueTicketAsync(Anon, "CORP", "alice")).GetProperty("Ticket").GetString();
        using var login = await host.GetAsync($"{Anon}/{SessionsHost.EchoPath}?qlikTicket={ticket}");
        Assert.Equal(HttpStatusCode.Found, login.StatusCode);
        var alice = SetCookieHeader.Single(login, SessionsHost.CookieName(Anon)).Value;
        Assert.Equal("UserDirectory=CORP; UserId=alice", await host.EchoedUserAsync(Anon, alice));
        Assert.Equal(4, sessions.LiveCount);
    }

    [Fact]
    public async Task ClientLimit_FourthNewAnonymousSessionFromOneAddressWithinAMinute_Gets429WithRetryAfter()
    {
        await using var host = await StartAsync(clientLimits: new ClientLimitsConfig { AnonymousSessionsPerMinute = 3 });
        for (var i = 0; i < 3; i++)
        {
            await NewVisitorAsync(host);
        }

        var marker = CrossOriginHost.Marker();
        using var refused = await host.GetAsync($"{Anon}/{SessionsHost.EchoPath}/{marker}");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"Retry-After: {refused.Headers.RetryAfter}");
        Assert.Empty(SetCookieHeader.All(refused));
        Assert.False(host.Engine.Saw(marker), "the refused visitor reached the engine");
        Assert.Equal(3, SessionsOf(host).LiveCount);
    }

    [Fact]
    public async Task FirstUseGrace_SessionWhoseCookieNeverCameBack_EndsAfterTheGrace_OneUsedAgainSurvives()
    {
        const int GraceSeconds = 10;
        await using var host = await StartAsync(new SessionsConfig { AnonymousFirstUseGraceSeconds = GraceSeconds });
        var sessions = SessionsOf(host);
        var abandoned = await NewVisitorAsync(host);
        var returning = await NewVisitorAsync(host);
        var user = await host.EchoedUserAsync(Anon, returning);
        Assert.Equal(2, sessions.LiveCount);

        // Past the grace; the sweep (every 5 virtual seconds) is due.
        host.Advance(TimeSpan.FromSeconds(GraceSeconds + 5));

        await Eventually.TrueAsync(() => sessions.LiveCount == 1, TimeSpan.FromSeconds(10), "the sweep to end the session whose cookie never came back");
        using (var gone = await host.Api.GetSessionAsync(Anon, abandoned))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }

        using (var kept = await host.Api.GetSessionAsync(Anon, returning))
        {
            Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
        }

        Assert.Equal(user, await host.EchoedUserAsync(Anon, returning));
    }

    /// <summary>
    /// A cookieless client's WebSocket (enigma.js in Node, a script) makes an anonymous session that
    /// only the socket uses: it lives while the socket is open, however long, and ends with the next
    /// sweep once the socket is closed and the grace has passed, since nothing can reach it again.
    /// </summary>
    [Fact]
    public async Task FirstUseGrace_SessionOfACookielessWebSocket_LivesWhileTheSocketIsOpen_EndsAfterItCloses()
    {
        const int GraceSeconds = 10;
        await using var host = await StartAsync(new SessionsConfig { AnonymousFirstUseGraceSeconds = GraceSeconds });
        var sessions = SessionsOf(host);
        var socket = await host.ConnectEngineSocketAsync(Anon, sessionId: null, csrfToken: null);
        await socket.WaitForNotificationAsync("OnConnected");
        Assert.Equal(1, sessions.LiveCount);

        host.Advance(TimeSpan.FromSeconds(GraceSeconds + 5));
        await sessions.SweepAsync(CancellationToken.None);
        Assert.Equal(1, sessions.LiveCount);
        Assert.Equal(WebSocketState.Open, socket.State);

        await socket.DisposeAsync();
        await Eventually.TrueAsync(async () =>
        {
            await sessions.SweepAsync(CancellationToken.None);
            return sessions.LiveCount == 0;
        }, TimeSpan.FromSeconds(10), "the sweep to end the session once its only socket closed");
    }

    /// <summary>
    /// Many sessions expire at once (more than the 10,000 an earlier sweep took per round): one sweep
    /// ends them all. The clock's advance also wakes the background sweep, which may run alongside;
    /// the sweep called here returns only once none is left, whoever ended which.
    /// </summary>
    [Fact]
    public async Task Sweep_25000AnonymousSessionsPastTheGrace_OneSweepEndsThemAll()
    {
        const int Count = 25_000;
        const int GraceSeconds = 10;
        await using var host = await StartAsync(new SessionsConfig { AnonymousFirstUseGraceSeconds = GraceSeconds });
        var sessions = SessionsOf(host);
        var virtualProxy = host.Portico.Snapshots.Current.VirtualProxies.FindByPrefix(Anon)!;
        for (var i = 0; i < Count; i++)
        {
            var login = await sessions.CreateAnonymousAsync(virtualProxy, IPAddress.Loopback, CancellationToken.None);
            Assert.NotNull(login.Session);
        }

        Assert.Equal(Count, sessions.LiveCount);

        host.Advance(TimeSpan.FromSeconds(GraceSeconds));
        await sessions.SweepAsync(CancellationToken.None);

        Assert.Equal(0, sessions.LiveCount);
    }
}
