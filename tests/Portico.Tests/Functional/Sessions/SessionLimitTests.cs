using System.Net;

namespace Portico.Tests.Functional.Sessions;

/// <summary>
/// Qlik's limit of parallel sessions per user (5 by default): a new session beyond it ends the user's
/// least recently active one, cookie and sockets, and nobody else's. The virtual clock spaces the
/// sessions' activity so "least recently active" is unambiguous.
/// </summary>
public sealed class SessionLimitTests : IAsyncLifetime
{
    private SessionsHost _host = null!;

    public async Task InitializeAsync() => _host = await SessionsHost.StartAsync(engine => [SessionsHost.LoginRequired("app", engine)]);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task SixthSession_EndsTheLeastRecentlyActiveOne_TheOtherFiveKeepWorking()
    {
        var bobs = await _host.Api.CreateSessionIdAsync("app", "CORP", "bob");
        var alices = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            _host.Advance(TimeSpan.FromSeconds(10));
            alices.Add(await _host.Api.CreateSessionIdAsync("app", "CORP", "alice"));
        }

        // The oldest login is used again, so the second one becomes the least recently active.
        _host.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.OK, await _host.EchoStatusAsync("app", alices[0]));
        _host.Advance(TimeSpan.FromSeconds(10));

        alices.Add(await _host.Api.CreateSessionIdAsync("app", "CORP", "alice"));

        Assert.Equal(HttpStatusCode.Unauthorized, await _host.EchoStatusAsync("app", alices[1]));
        foreach (var id in alices.Where((_, i) => i != 1))
        {
            Assert.Equal("UserDirectory=CORP; UserId=alice", await _host.EchoedUserAsync("app", id));
        }

        Assert.Equal(HttpStatusCode.OK, await _host.EchoStatusAsync("app", bobs));
    }

    [Fact]
    public async Task SixthSession_ClosesTheSocketOfTheSessionItEnds()
    {
        var first = await _host.Api.CreateSessionIdAsync("app", "CORP", "alice");
        await using var socket = await _host.OpenEngineSocketAsync("app", first);
        await _host.SettleSocketActivityAsync("app", first);
        for (var i = 0; i < 4; i++)
        {
            _host.Advance(TimeSpan.FromSeconds(10));
            await _host.Api.CreateSessionIdAsync("app", "CORP", "alice");
        }

        _host.Advance(TimeSpan.FromSeconds(10));
        await _host.Api.CreateSessionIdAsync("app", "CORP", "alice");

        Assert.True(await socket.WaitForCloseAsync(TimeSpan.FromSeconds(10)), "the ended session's socket stayed open");
        Assert.Equal(HttpStatusCode.Unauthorized, await _host.EchoStatusAsync("app", first));
    }

    [Fact]
    public async Task FiveSessions_AtTheLimit_AllKeepWorking()
    {
        var alices = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            _host.Advance(TimeSpan.FromSeconds(10));
            alices.Add(await _host.Api.CreateSessionIdAsync("app", "CORP", "alice"));
        }

        foreach (var id in alices)
        {
            Assert.Equal(HttpStatusCode.OK, await _host.EchoStatusAsync("app", id));
        }
    }

    /// <summary>Qlik compares user directory and user id without regard to case, so a change of case is the same user and counts against the same limit.</summary>
    [Fact]
    public async Task SixthSession_UserNameInAnotherCase_StillCountsAgainstTheSameLimit()
    {
        var alices = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            _host.Advance(TimeSpan.FromSeconds(10));
            alices.Add(await _host.Api.CreateSessionIdAsync("app", "CORP", "alice"));
        }

        _host.Advance(TimeSpan.FromSeconds(10));
        await _host.Api.CreateSessionIdAsync("app", "corp", "ALICE");

        Assert.Equal(HttpStatusCode.Unauthorized, await _host.EchoStatusAsync("app", alices[0]));
    }
}
