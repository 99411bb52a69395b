using System.Net;
using System.Text.Json;
using Portico.Tests.Support;

namespace Portico.Tests.Functional.Sessions;

/// <summary>
/// Ending a session on purpose: the browser's logout (DELETE /{prefix}/qps/user) and an administrator's
/// QPS API calls. The cookie stops working and the session's WebSockets close at once, so no engine
/// connection stays authenticated (docs/security.md: sockets of a session are closed when it ends).
/// </summary>
public sealed class SessionEndTests : IAsyncLifetime
{
    private static readonly TimeSpan SocketLimit = TimeSpan.FromSeconds(10);

    private SessionsHost _host = null!;

    public async Task InitializeAsync() => _host = await SessionsHost.StartAsync(engine => [SessionsHost.LoginRequired("app", engine)]);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Logout_WithTheSessionCookie_Returns204ClearsTheCookieAndEndsTheSession()
    {
        var id = await _host.Api.CreateSessionIdAsync("app", "CORP", "alice");
        Assert.Equal(HttpStatusCode.OK, await _host.EchoStatusAsync("app", id));

        using var response = await _host.LogoutAsync("app", id);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var cleared = SetCookieHeader.Single(response, SessionsHost.CookieName("app"));
        Assert.Equal("", cleared.Value);
        Assert.True(cleared["Max-Age"] == "0" || cleared["Expires"] is { } expires && DateTimeOffset.Parse(expires, System.Globalization.CultureInfo.InvariantCulture) < DateTimeOffset.UtcNow, cleared.Raw);
        Assert.Equal("/", cleared["Path"]);
        Assert.True(cleared.Has("Secure") && cleared.Has("HttpOnly"), cleared.Raw);
        Assert.Equal(HttpStatusCode.Unauthorized, await _host.EchoStatusAsync("app", id));
        using var lookup = await _host.Api.GetSessionAsync("app", id);
        Assert.Equal(HttpStatusCode.NotFound, lookup.StatusCode);
    }

    [Fact]
    public async Task Logout_WithAnOpenSocket_ClosesItAndLeavesTheUsersOtherSessionAlone()
    {
        var id = await _host.Api.CreateSessionIdAsync("app", "CORP", "alice");
        var otherBrowser = await _host.Api.CreateSessionIdAsync("app", "CORP", "alice");
        await using var socket = await _host.OpenEngineSocketAsync("app", id);
        await using var otherSocket = await _host.OpenEngineSocketAsync("app", otherBrowser);
        Assert.Equal(2, _host.Engine.OpenSockets);

        using var response = await _host.LogoutAsync("app", id);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.True(await socket.WaitForCloseAsync(SocketLimit), "the logged-out session's socket stayed open");
        await Eventually.TrueAsync(() => _host.Engine.OpenSockets == 1, SocketLimit, "the engine side of the logged-out socket to close");
        Assert.True((await otherSocket.CallAsync("EngineVersion")).TryGetProperty("result", out _));
        Assert.Equal(HttpStatusCode.OK, await _host.EchoStatusAsync("app", otherBrowser));
    }

    [Fact]
    public async Task Logout_WithAnOpenHttp2Socket_ClosesItToo()
    {
        var id = await _host.Api.CreateSessionIdAsync("app", "CORP", "alice");
        using var socket = await _host.OpenHttp2EngineSocketAsync("app", id);
        Assert.Equal(1, _host.Engine.OpenSockets);

        using (var response = await _host.LogoutAsync("app", id))
        {
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }

        Assert.True(await ClosesWithinAsync(socket, SocketLimit), "the logged-out session's HTTP/2 socket stayed open");
        await Eventually.TrueAsync(() => _host.Engine.OpenSockets == 0, SocketLimit, "the engine side of the HTTP/2 socket to close");
    }

    [Fact]
    public async Task Logout_ThenTheOldCookieAndTokenOnAnEngineSocket_NeverReachTheEngine()
    {
        var id = await _host.Api.CreateSessionIdAsync("app", "CORP", "alice");
        var token = await _host.CsrfTokenAsync("app", id);
        using (var response = await _host.LogoutAsync("app", id))
        {
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }

        await _host.AssertSocketRefusedAsync("app", id, token);
    }

    /// <summary>A forged cross-site logout would end the user's work; the session's token is what proves the page is Portico's own.</summary>
    [Fact]
    public async Task Logout_CrossSiteWithoutTheSessionsToken_IsRefusedAndTheSessionLives()
    {
        var id = await _host.Api.CreateSessionIdAsync("app", "CORP", "alice");

        using var response = await _host.LogoutAsync("app", id, secFetchSite: "cross-site");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain(SetCookieHeader.All(response), c => c.Name == SessionsHost.CookieName("app") && c.Value.Length == 0);
        Assert.Equal(HttpStatusCode.OK, await _host.EchoStatusAsync("app", id));
    }

    [Fact]
    public async Task Logout_WithoutASession_Returns204AndStillClearsTheCookie()
    {
        using var response = await _host.LogoutAsync("app", SessionsHost.NeverIssuedId());

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("", SetCookieHeader.Single(response, SessionsHost.CookieName("app")).Value);
    }

    [Fact]
    public async Task AdminDeleteSession_ClosesThatSessionsSocketAndInvalidatesItsCookie()
    {
        var id = await _host.Api.CreateSessionIdAsync("app", "CORP", "alice");
        var kept = await _host.Api.CreateSessionIdAsync("app", "CORP", "alice");
        await using var socket = await _host.OpenEngineSocketAsync("app", id);
        await using var keptSocket = await _host.OpenEngineSocketAsync("app", kept);

        using var response = await _host.Api.DeleteSessionAsync("app", id);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using (var deleted = JsonDocument.Parse(await response.Content.ReadAsStringAsync()))
        {
            Assert.Equal(id, deleted.RootElement.GetProperty("SessionId").GetString());
        }

        Assert.True(await socket.WaitForCloseAsync(SocketLimit), "the deleted session's socket stayed open");
        Assert.Equal(HttpStatusCode.Unauthorized, await _host.EchoStatusAsync("app", id));
        Assert.Equal(HttpStatusCode.OK, await _host.EchoStatusAsync("app", kept));
        Assert.True((await keptSocket.CallAsync("EngineVersion")).TryGetProperty("result", out _));
        await Eventually.TrueAsync(() => _host.Engine.OpenSockets == 1, SocketLimit, "the engine side of the deleted session's socket to close");
    }

    [Fact]
    public async Task AdminDeleteUser_EndsEverySessionOfThatUserAndClosesAllTheirSockets()
    {
        var first = await _host.Api.CreateSessionIdAsync("app", "CORP", "alice");
        var second = await _host.Api.CreateSessionIdAsync("app", "CORP", "alice");
        var bobs = await _host.Api.CreateSessionIdAsync("app", "CORP", "bob");
        await using var firstSocket = await _host.OpenEngineSocketAsync("app", first);
        await using var secondSocket = await _host.OpenEngineSocketAsync("app", second);
        await using var bobsSocket = await _host.OpenEngineSocketAsync("app", bobs);

        using var response = await _host.Api.DeleteUserAsync("app", "CORP", "alice");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using (var ended = JsonDocument.Parse(await response.Content.ReadAsStringAsync()))
        {
            var ids = ended.RootElement.EnumerateArray().Select(s => s.GetProperty("SessionId").GetString()).ToHashSet();
            Assert.Equal(new HashSet<string?> { first, second }, ids);
        }

        Assert.True(await firstSocket.WaitForCloseAsync(SocketLimit), "alice's first socket stayed open");
        Assert.True(await secondSocket.WaitForCloseAsync(SocketLimit), "alice's second socket stayed open");
        Assert.Equal(HttpStatusCode.Unauthorized, await _host.EchoStatusAsync("app", first));
        Assert.Equal(HttpStatusCode.Unauthorized, await _host.EchoStatusAsync("app", second));
        Assert.Equal("UserDirectory=CORP; UserId=bob", await _host.EchoedUserAsync("app", bobs));
        Assert.True((await bobsSocket.CallAsync("EngineVersion")).TryGetProperty("result", out _));
        await Eventually.TrueAsync(() => _host.Engine.OpenSockets == 1, SocketLimit, "the engine side of alice's sockets to close");
    }


    private static async Task<bool> ClosesWithinAsync(System.Net.WebSockets.ClientWebSocket socket, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        var buffer = new byte[4096];
        try
        {
            while ((await socket.ReceiveAsync(buffer, timeout.Token)).MessageType != System.Net.WebSockets.WebSocketMessageType.Close)
            {
            }

            return true;
        }
        catch (System.Net.WebSockets.WebSocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
