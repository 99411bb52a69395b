using System.Net;
using System.Net.Sockets;
using Portico.TestSupport;
using Portico.Tests.Functional.Sessions;
using Portico.Tests.Support;

namespace Portico.Tests.Functional.WebSockets;

/// <summary>
/// The QPS notifications Portico writes on engine sockets, as an unmodified enigma.js client sees
/// them: who the socket acts for as it opens, and why it closes when its session ends (logout, idle
/// expiry, an administrator's delete) or when no engine can take it. See docs/architecture.md,
/// "Socket notifications".
/// </summary>
public sealed class SocketNotificationTests : IAsyncLifetime
{
    private const int IdleMinutes = 30;
    private static readonly TimeSpan SocketLimit = TimeSpan.FromSeconds(30);

    private SessionsHost _host = null!;

    public async Task InitializeAsync() => _host = await SessionsHost.StartAsync(engine =>
    [
        SessionsHost.LoginRequired("app", engine) with { SessionInactivityTimeout = IdleMinutes },
        SessionsHost.LoginRequired("down", new Uri($"http://127.0.0.1:{ClosedPort()}/")),
    ]);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task OpenSocket_TellsTheClientWhoItActsForBeforeTheEnginesFirstMessage()
    {
        var id = await _host.Api.CreateSessionIdAsync("app", "CORP", "alice");

        var result = await RunEnigmaAsync("app", id, holdOpenMs: 0);

        Assert.True(result.Ok, result.RawJson);
        Assert.Equal(["OnAuthenticationInformation", "OnConnected"], result.Notifications.Select(n => n.Method).Take(2));
        var information = result.Notifications[0].Params;
        Assert.Equal("alice", information.GetProperty("userId").GetString());
        Assert.Equal("CORP", information.GetProperty("userDirectory").GetString());
        Assert.False(information.GetProperty("mustAuthenticate").GetBoolean());
        var logout = new Uri(information.GetProperty("logoutUri").GetString()!);
        Assert.Equal(("https", "/app/qps/user"), (logout.Scheme, logout.AbsolutePath));
    }

    [Fact]
    public async Task Logout_SendsOnSessionLoggedOutThenACloseFrame_AndTheEngineSideCloses()
    {
        var id = await _host.Api.CreateSessionIdAsync("app", "CORP", "alice");
        var run = await StartHeldSessionAsync(id);

        using (var response = await _host.LogoutAsync("app", id))
        {
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }

        var result = await run;
        AssertEndedWith(result, "OnSessionLoggedOut", 1000);
        await Eventually.TrueAsync(() => _host.Engine.OpenSockets == 0, SocketLimit, "the engine side of the socket to close");
    }

    [Fact]
    public async Task IdleExpiry_SendsOnSessionTimedOutThenClose4001()
    {
        var id = await _host.Api.CreateSessionIdAsync("app", "CORP", "alice");
        var calls = _host.Engine.HandledCalls;
        var run = await StartHeldSessionAsync(id);
        await Eventually.TrueAsync(() => _host.Engine.HandledCalls > calls || run.IsCompleted, SocketLimit, "the client's call to reach the engine");
        await _host.SettleSocketActivityAsync("app", id);

        // No request uses the session afterwards: the sweep ends it. A frame relayed late (a loaded
        // machine) counts as activity at the clock's new time; a further idle period outlasts it.
        for (var period = 0; period < 4 && !run.IsCompleted; period++)
        {
            _host.Advance(TimeSpan.FromMinutes(IdleMinutes + 1));
            await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(5)));
        }

        var result = await run;
        AssertEndedWith(result, "OnSessionTimedOut", 4001);
        await Eventually.TrueAsync(() => _host.Engine.OpenSockets == 0, SocketLimit, "the engine side of the socket to close");
    }

    [Fact]
    public async Task AdminDelete_SendsOnSessionClosedThenACloseFrame()
    {
        var id = await _host.Api.CreateSessionIdAsync("app", "CORP", "alice");
        var run = await StartHeldSessionAsync(id);

        using (var response = await _host.Api.DeleteSessionAsync("app", id))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var result = await run;
        AssertEndedWith(result, "OnSessionClosed", 1000);
        await Eventually.TrueAsync(() => _host.Engine.OpenSockets == 0, SocketLimit, "the engine side of the socket to close");
    }

    [Fact]
    public async Task NoEngineReachable_SocketGetsOnNoEngineAvailableThenClose1013()
    {
        var id = await _host.Api.CreateSessionIdAsync("down", "CORP", "alice");

        var result = await RunEnigmaAsync("down", id, holdOpenMs: 0);

        Assert.False(result.Ok, result.RawJson);
        var notice = Assert.Single(result.Notifications, n => n.Method == "OnNoEngineAvailable");
        Assert.Equal("fatal", notice.Params.GetProperty("severity").GetString());
        Assert.Equal(1013, result.CloseCode);
    }

    /// <summary>Starts an enigma.js session that holds its socket open, and returns once the engine has it.</summary>
    private async Task<Task<EnigmaRunResult>> StartHeldSessionAsync(string sessionId)
    {
        var run = RunEnigmaAsync("app", sessionId, holdOpenMs: 30_000);
        await Eventually.TrueAsync(() => _host.Engine.OpenSockets == 1 || run.IsCompleted, SocketLimit, "the engine socket to open");
        Assert.False(run.IsCompleted, run.IsCompleted ? run.Result.RawJson : null);
        return run;
    }

    private async Task<EnigmaRunResult> RunEnigmaAsync(string prefix, string sessionId, int holdOpenMs)
    {
        var token = await _host.CsrfTokenAsync(prefix, sessionId);
        return await NodeClients.Shared.RunEnigmaAsync(new EnigmaRunRequest
        {
            Url = $"wss://localhost:{_host.Portico.HttpsPort}/{prefix}/app/engineData?qlik-csrf-token={Uri.EscapeDataString(token)}",
            CaFile = _host.Portico.CaPath,
            Headers = new Dictionary<string, string> { ["Cookie"] = $"{SessionsHost.CookieName(prefix)}={sessionId}" },
            Steps = [EnigmaSteps.GetAuthenticatedUser],
            HoldOpenMs = holdOpenMs,
            TimeoutMs = 60_000,
        });
    }

    private static void AssertEndedWith(EnigmaRunResult result, string method, int closeCode)
    {
        // The call after the hold fails: the socket is gone.
        Assert.False(result.Ok, result.RawJson);
        var last = result.Notifications[^1];
        Assert.Equal(method, last.Method);
        Assert.Equal("fatal", last.Params.GetProperty("severity").GetString());
        Assert.False(string.IsNullOrWhiteSpace(last.Params.GetProperty("message").GetString()));
        Assert.True(DateTimeOffset.TryParse(last.Params.GetProperty("timestamp").GetString(), out _), result.RawJson);
        Assert.Equal(closeCode, result.CloseCode);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
