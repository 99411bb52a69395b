using Portico.Configuration;
using Portico.Sessions;
using Portico.Tests.Functional.CrossOrigin;
using Portico.Tests.Support;

namespace Portico.Tests.Functional.Sessions;

/// <summary>
/// sessions.maxWebSocketsPerSession (2 here): a session holds at most that many engine sockets at
/// once; one more is refused with 429 before it reaches the engine, and a socket that closes frees
/// its place.
/// </summary>
public sealed class WebSocketLimitTests : IAsyncLifetime
{
    private const string App = "app";

    private SessionsHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await SessionsHost.StartAsync(engine => [SessionsHost.LoginRequired(App, engine)], new SessionsConfig { MaxWebSocketsPerSession = 2 });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ThirdSocketOfOneSession_Is429_AndAfterOneClosesANewOneOpens()
    {
        var id = await _host.Api.CreateSessionIdAsync(App, "CORP", "alice");
        var first = await _host.OpenEngineSocketAsync(App, id);
        await using var second = await _host.OpenEngineSocketAsync(App, id);
        var token = await _host.CsrfTokenAsync(App, id);
        var port = _host.Portico.HttpsPort;

        var third = await RawHttp.SendAsync(
            port,
            CrossOriginHost.UpgradeHead($"/{App}/app/engineData", port, [("Cookie", $"{SessionsHost.CookieName(App)}={id}"), ("qlik-csrf-token", token)]),
            _host.Portico.CaPath);

        Assert.True(third.Status == 429, $"expected 429, got {third.Status}: {third.Body}");
        Assert.Contains("too_many_websockets", third.Body, StringComparison.Ordinal);
        Assert.Null(third.Header("Sec-WebSocket-Accept"));
        Assert.Equal(2, _host.Engine.TotalSockets);

        await first.DisposeAsync();
        var sockets = _host.Portico.Services.GetRequiredService<SessionSockets>();
        await Eventually.TrueAsync(() => sockets.OpenCount(id) == 1, TimeSpan.FromSeconds(10), "the closed socket to leave its session");

        await using var replacement = await _host.OpenEngineSocketAsync(App, id);
        Assert.Equal(2, sockets.OpenCount(id));
        Assert.Equal(3, _host.Engine.TotalSockets);
    }
}
