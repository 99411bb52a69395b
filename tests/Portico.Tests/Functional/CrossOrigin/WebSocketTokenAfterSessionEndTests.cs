using System.Net;
using Portico.Tests.Support;

namespace Portico.Tests.Functional.CrossOrigin;

/// <summary>
/// docs/security.md "WebSocket upgrade", token after logout or idle expiry: the token dies with its session
/// (403, nothing reaches the engine) and the session's open sockets are closed when it ends. Each test
/// has its own Portico on virtual time, as expiry moves the clock for every session.
/// </summary>
public sealed class WebSocketTokenAfterSessionEndTests : IAsyncLifetime
{
    private const int IdleMinutes = 30;
    private const string Hub = CrossOriginHost.Hub;
    private static readonly TimeSpan SocketLimit = TimeSpan.FromSeconds(10);

    private CrossOriginHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await CrossOriginHost.StartAsync(new ManualTimeProvider(DateTimeOffset.UtcNow), IdleMinutes);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<QixSocket> OpenSocketAsync(string sessionId, string token) =>
        await _host.OpenEngineSocketAsync($"/{Hub}/app/engineData", Hub, sessionId, new Dictionary<string, string> { [CrossOriginHost.TokenName] = token, ["Origin"] = "https://app.example.com" });

    /// <summary>The mashup's logout: a cross-origin DELETE from an allowed origin, carrying the token as Qlik clients do.</summary>
    private async Task LogoutAsync(string sessionId, string token)
    {
        using var response = await _host.SendAsync(
            HttpMethod.Delete,
            $"/{Hub}/qps/user",
            ("Cookie", CrossOriginHost.Cookie(Hub, sessionId)),
            (CrossOriginHost.TokenName, token),
            ("Origin", "https://app.example.com"),
            ("Sec-Fetch-Site", "cross-site"));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    private void Expire() => _host.Time!.Advance(TimeSpan.FromMinutes(IdleMinutes + 1));

    private async Task AssertTokenRefusedAsync(string sessionId, string token)
    {
        foreach (var target in new[] { $"/{Hub}/app/engineData?{CrossOriginHost.TokenName}={token}", $"/{Hub}/app/engineData&{CrossOriginHost.TokenName}={token}" })
        {
            var marker = CrossOriginHost.Marker();
            var separator = target.Contains('?', StringComparison.Ordinal) ? "&" : "?";

            var response = await _host.UpgradeAsync(target + separator + "m=" + marker, ("Cookie", CrossOriginHost.Cookie(Hub, sessionId)), ("Origin", "https://app.example.com"));

            Assert.False(_host.EngineSaw(marker), $"an upgrade with the ended session's token reached the engine ({target})");
            Assert.True(response.Status == 403, $"expected 403 for the ended session's token, got {response.Status} ({target}): {response.Body}");
            Assert.Null(response.Header("Sec-WebSocket-Accept"));
        }
    }

    // WebSocket: sockets of a session are closed when it ends (logout).
    [Fact]
    public async Task Logout_ClosesTheSessionsOpenSocket()
    {
        var (sessionId, token) = await _host.LoginAsync();
        await using var socket = await OpenSocketAsync(sessionId, token);

        await LogoutAsync(sessionId, token);

        Assert.True(await socket.WaitForCloseAsync(SocketLimit), "the logged-out session's socket stayed open");
        await Eventually.TrueAsync(() => _host.Engine.OpenSockets == 0, SocketLimit, "the engine side of the socket to close");
    }

    // WebSocket: token after logout → 403.
    [Fact]
    public async Task TokenAfterLogout_Is403AndNothingReachesTheEngine()
    {
        var (sessionId, token) = await _host.LoginAsync();
        await LogoutAsync(sessionId, token);

        await AssertTokenRefusedAsync(sessionId, token);
    }

    // WebSocket: sockets of a session are closed when it ends (idle expiry).
    [Fact]
    public async Task IdleExpiry_ClosesTheSessionsOpenSocket()
    {
        var (sessionId, token) = await _host.LoginAsync();
        await using var socket = await OpenSocketAsync(sessionId, token);

        Expire();

        Assert.True(await socket.WaitForCloseAsync(SocketLimit), "the expired session's socket stayed open");
        await Eventually.TrueAsync(() => _host.Engine.OpenSockets == 0, SocketLimit, "the engine side of the socket to close");
    }

    // WebSocket: token after idle expiry → 403.
    [Fact]
    public async Task TokenAfterIdleExpiry_Is403AndNothingReachesTheEngine()
    {
        var (sessionId, token) = await _host.LoginAsync();

        Expire();

        await AssertTokenRefusedAsync(sessionId, token);
    }

    [Fact]
    public async Task TokenAfterLogout_DoesNotFitTheNextSessionOfTheSameBrowser()
    {
        var (sessionId, token) = await _host.LoginAsync();
        await LogoutAsync(sessionId, token);
        var next = await _host.NewSessionAsync();
        var marker = CrossOriginHost.Marker();

        var response = await _host.UpgradeAsync($"/{Hub}/app/engineData?{CrossOriginHost.TokenName}={token}&m={marker}", ("Cookie", CrossOriginHost.Cookie(Hub, next)));

        Assert.Equal(403, response.Status);
        Assert.False(_host.EngineSaw(marker));
    }
}
