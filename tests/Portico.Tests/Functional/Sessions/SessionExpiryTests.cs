using System.Net;
using Portico.Configuration;
using Portico.Tests.Support;

namespace Portico.Tests.Functional.Sessions;

/// <summary>
/// docs/security.md "Sessions and cookies", idle timeout and absolute lifetime passed: the cookie no longer
/// logs in (401, or the login redirect), and the session's open WebSockets are closed by the expiry
/// sweep without anyone using the cookie again. Time is virtual; each test has its own Portico.
/// </summary>
public sealed class SessionExpiryTests : IAsyncLifetime
{
    private const int IdleMinutes = 30;
    private const int LifetimeMinutes = 60;

    private static readonly TimeSpan SocketLimit = TimeSpan.FromSeconds(10);

    private SessionsHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await SessionsHost.StartAsync(
            engine =>
            [
                SessionsHost.LoginRequired("app", engine) with { SessionInactivityTimeout = IdleMinutes },
                SessionsHost.LoginRequired("login", engine) with { SessionInactivityTimeout = IdleMinutes, AuthenticationModuleRedirectUri = SessionsFixture.LoginModule },
            ],
            new SessionsConfig { AbsoluteLifetimeMinutes = LifetimeMinutes });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task IdleSession_PastTheInactivityTimeout_Gets401()
    {
        var id = await _host.Api.CreateSessionIdAsync("app", "CORP", "alice");
        Assert.Equal(HttpStatusCode.OK, await _host.EchoStatusAsync("app", id));

        _host.Advance(TimeSpan.FromMinutes(IdleMinutes + 1));

        Assert.Equal(HttpStatusCode.Unauthorized, await _host.EchoStatusAsync("app", id));
        using var lookup = await _host.Api.GetSessionAsync("app", id);
        Assert.Equal(HttpStatusCode.NotFound, lookup.StatusCode);
    }

    [Fact]
    public async Task IdleSession_JustBeforeTheInactivityTimeout_StillWorks()
    {
        var id = await _host.Api.CreateSessionIdAsync("app", "CORP", "alice");

        _host.Advance(TimeSpan.FromMinutes(IdleMinutes) - TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.OK, await _host.EchoStatusAsync("app", id));
    }

    [Fact]
    public async Task IdleSession_PastTheInactivityTimeout_OnALoginModuleProxy_PageRedirectsToTheLogin()
    {
        var id = await _host.Api.CreateSessionIdAsync("login", "CORP", "alice");
        Assert.Equal(HttpStatusCode.OK, await _host.EchoStatusAsync("login", id));

        _host.Advance(TimeSpan.FromMinutes(IdleMinutes + 1));

        using var response = await _host.EchoAsync("login", id);
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.StartsWith(SessionsFixture.LoginModule + "?", response.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IdleSession_PastTheInactivityTimeout_ItsOpenSocketIsClosedByTheSweep()
    {
        var id = await _host.Api.CreateSessionIdAsync("app", "CORP", "alice");
        await using var socket = await _host.OpenEngineSocketAsync("app", id);
        Assert.Equal(1, _host.Engine.OpenSockets);
        await _host.SettleSocketActivityAsync("app", id);

        // No request uses the cookie afterwards: only the sweep can notice the expiry.
        _host.Advance(TimeSpan.FromMinutes(IdleMinutes + 1));

        Assert.True(await socket.WaitForCloseAsync(SocketLimit), "the expired session's socket stayed open");
        await Eventually.TrueAsync(() => _host.Engine.OpenSockets == 0, SocketLimit, "the engine side of the socket to close");
        Assert.Equal(HttpStatusCode.Unauthorized, await _host.EchoStatusAsync("app", id));
    }

    [Fact]
    public async Task IdleSession_PastTheInactivityTimeout_ItsCookieAndTokenOpenNoEngineSocket()
    {
        var id = await _host.Api.CreateSessionIdAsync("app", "CORP", "alice");
        var token = await _host.CsrfTokenAsync("app", id);

        _host.Advance(TimeSpan.FromMinutes(IdleMinutes + 1));

        await _host.AssertSocketRefusedAsync("app", id, token);
    }

    /// <summary>
    /// At exactly the timeout a request already finds the session expired (idle time &gt;= timeout), so
    /// the sweep running at that instant must end it too, instead of leaving its sockets open until the next sweep.
    /// </summary>
    [Fact]
    public async Task IdleSession_ExactlyAtTheInactivityTimeout_ItsOpenSocketIsClosedByTheSweep()
    {
        var id = await _host.Api.CreateSessionIdAsync("app", "CORP", "alice");
        await using var socket = await _host.OpenEngineSocketAsync("app", id);
        await _host.SettleSocketActivityAsync("app", id);

        // The settling second counts: this lands exactly on the timeout since the last activity.
        _host.Advance(TimeSpan.FromMinutes(IdleMinutes) - TimeSpan.FromSeconds(1));

        Assert.True(await socket.WaitForCloseAsync(SocketLimit), "the sweep left the socket of a session that requests already treat as expired");
    }

    [Fact]
    public async Task ActiveSession_RequestsEveryTenMinutes_OutlivesTheInactivityTimeout()
    {
        var id = await _host.Api.CreateSessionIdAsync("app", "CORP", "alice");

        // 50 minutes in all, more than the 30-minute timeout, never 30 minutes without a request.
        for (var step = 0; step < 5; step++)
        {
            _host.Advance(TimeSpan.FromMinutes(10));
            Assert.Equal(HttpStatusCode.OK, await _host.EchoStatusAsync("app", id));
        }

        // Activity moved the idle deadline, so idling a full timeout after the last request still ends it.
        _host.Advance(TimeSpan.FromMinutes(IdleMinutes + 1));
        Assert.Equal(HttpStatusCode.Unauthorized, await _host.EchoStatusAsync("app", id));
    }

    [Fact]
    public async Task ActiveSession_TrafficOnItsSocket_CountsAsActivity()
    {
        var id = await _host.Api.CreateSessionIdAsync("app", "CORP", "alice");
        await using var socket = await _host.OpenEngineSocketAsync("app", id);

        for (var step = 0; step < 2; step++)
        {
            _host.Advance(TimeSpan.FromMinutes(20));
            var answer = await socket.CallAsync("EngineVersion");
            Assert.True(answer.TryGetProperty("result", out _), answer.ToString());
        }

        // 55 minutes since login and no HTTP request at all, but only 15 since the socket's last call.
        _host.Advance(TimeSpan.FromMinutes(15));

        Assert.Equal(HttpStatusCode.OK, await _host.EchoStatusAsync("app", id));
        Assert.Equal(System.Net.WebSockets.WebSocketState.Open, socket.State);
        Assert.True((await socket.CallAsync("EngineVersion")).TryGetProperty("result", out _));
    }

    [Fact]
    public async Task ActiveSession_PastTheAbsoluteLifetime_Gets401()
    {
        var id = await _host.Api.CreateSessionIdAsync("app", "CORP", "alice");

        for (var step = 0; step < 5; step++)
        {
            _host.Advance(TimeSpan.FromMinutes(10));
            Assert.Equal(HttpStatusCode.OK, await _host.EchoStatusAsync("app", id));
        }

        // Last request 10 minutes ago, well inside the idle timeout, but 60 minutes since login.
        _host.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal(HttpStatusCode.Unauthorized, await _host.EchoStatusAsync("app", id));
    }

    [Fact]
    public async Task ActiveSocket_PastTheAbsoluteLifetime_IsClosedByTheSweep()
    {
        var id = await _host.Api.CreateSessionIdAsync("app", "CORP", "alice");
        await using var socket = await _host.OpenEngineSocketAsync("app", id);

        for (var step = 0; step < 5; step++)
        {
            _host.Advance(TimeSpan.FromMinutes(10));
            await socket.CallAsync("EngineVersion");
        }

        _host.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));

        Assert.True(await socket.WaitForCloseAsync(SocketLimit), "the socket outlived its session's absolute lifetime");
        await Eventually.TrueAsync(() => _host.Engine.OpenSockets == 0, SocketLimit, "the engine side of the socket to close");
    }
}
