using System.Net;
using System.Text.RegularExpressions;
using Portico.Tests.Functional.Sessions;
using Portico.Tests.Support;

namespace Portico.Tests.Functional;

/// <summary>
/// The access log on a real Portico: one Portico.Access line per request, refusals included, with
/// the bytes the client got and who it acted for; no credential from the URL; for WebSockets how
/// long the socket was open and who closed it. See docs/operations.md, "Access log".
/// </summary>
public sealed partial class AccessLogTests(SessionsFixture fixture) : IClassFixture<SessionsFixture>
{
    private static readonly TimeSpan LineLimit = TimeSpan.FromSeconds(10);

    private SessionsHost Host => fixture.Host;

    [Fact]
    public async Task ForwardedRequest_OneLineWithVirtualProxyStatusBytesAndUser()
    {
        var id = await Host.Api.CreateSessionIdAsync("app", "CORP", "alice");
        var marker = Guid.NewGuid().ToString("N");

        using var response = await Host.GetAsync($"app/{SessionsHost.EchoPath}?marker={marker}", $"{SessionsHost.CookieName("app")}={id}");
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var line = await LineAsync(marker);
        Assert.Equal(9001, line.EventId);
        Assert.StartsWith($"app GET /app/{SessionsHost.EchoPath}?marker={marker} 200 ", line.Message, StringComparison.Ordinal);
        Assert.Equal(body.Length, BytesOf(line));
        Assert.EndsWith(@"user=CORP\alice", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusedRequest_IsLoggedWithPorticosStatusAndNoUser()
    {
        var marker = Guid.NewGuid().ToString("N");

        using var response = await Host.GetAsync($"app/{SessionsHost.EchoPath}?marker={marker}");
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var line = await LineAsync(marker);
        Assert.Contains(" 401 ", line.Message, StringComparison.Ordinal);
        Assert.Equal(body.Length, BytesOf(line));
        Assert.EndsWith("user=-", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TicketAndTokensInTheUrl_NeverReachTheLog()
    {
        var marker = Guid.NewGuid().ToString("N");
        const string secret = "S3cretT1cketValue";

        using var response = await Host.GetAsync($"app/hub/x&qlik-csrf-token={secret}?qlikTicket={secret}&xrfkey={secret}&marker={marker}");

        var line = await LineAsync(marker);
        Assert.Contains("&qlik-csrf-token=***?qlikTicket=***&xrfkey=***&marker=", line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, Host.Portico.Logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WebSocketClosedByTheClient_LoggedWhenItEnds_WithItsLengthAndCloser()
    {
        var id = await Host.Api.CreateSessionIdAsync("app", "CORP", "bob");
        var token = await Host.CsrfTokenAsync("app", id);
        var marker = Guid.NewGuid().ToString("N");

        var socket = await ConnectAsync(id, token, marker);
        await socket.WaitForNotificationAsync("OnConnected");
        Assert.DoesNotContain(AccessLines(), l => l.Message.Contains(marker, StringComparison.Ordinal));
        await socket.DisposeAsync();

        var line = await LineAsync(marker);
        Assert.Equal(9002, line.EventId);
        Assert.Matches(@"^app GET /app/app/engineData\?qlik-csrf-token=\*\*\*&marker=\w+ 101 [0-9.]+ms [1-9][0-9]*B user=CORP\\bob socket=[0-9.]+s closedBy=client$", line.Message);
        Assert.DoesNotContain(token, Host.Portico.Logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WebSocketOfALoggedOutSession_SaysPorticoClosedItAndWhy()
    {
        var id = await Host.Api.CreateSessionIdAsync("app", "CORP", "carol");
        var token = await Host.CsrfTokenAsync("app", id);
        var marker = Guid.NewGuid().ToString("N");
        await using var socket = await ConnectAsync(id, token, marker);
        await socket.WaitForNotificationAsync("OnConnected");

        using (var logout = await Host.LogoutAsync("app", id))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        Assert.True(await socket.WaitForCloseAsync(LineLimit), "the socket was not closed");
        var line = await LineAsync(marker);
        Assert.EndsWith("closedBy=portico (Session logged out)", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WebSocketWithoutLogin_PorticosOwnAnswer_SaysPorticoClosedIt()
    {
        var marker = Guid.NewGuid().ToString("N");
        await using var socket = await QixSocket.ConnectAsync(new Uri($"wss://localhost:{Host.Portico.HttpsPort}/app/app/engineData?marker={marker}"), Host.Portico.CaPath);
        Assert.True(await socket.WaitForCloseAsync(LineLimit), "the socket was not closed");

        var line = await LineAsync(marker);
        Assert.Contains(" 101 ", line.Message, StringComparison.Ordinal);
        Assert.EndsWith("user=- socket=0.0s closedBy=portico (Authentication required)", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccessLogTurnedOff_ByReload_LogsNothingMore()
    {
        // Applied as a reload of the file applies it (this host's clock stands still, and the file
        // watcher waits on it); HotReloadTests cover the watching.
        var running = Host.Portico.Snapshots.Current;
        var reloader = Host.Portico.Services.GetRequiredService<Portico.Configuration.ConfigReloader>();
        Assert.True(Apply(running.Config with { Logging = running.Config.Logging with { AccessLog = new() { Enabled = false } } }));
        var marker = Guid.NewGuid().ToString("N");
        try
        {
            using var off = await Host.GetAsync($"app/{SessionsHost.EchoPath}?marker={marker}");
        }
        finally
        {
            Assert.True(Apply(running.Config));
        }

        bool Apply(Portico.Configuration.PorticoConfig config) =>
            reloader.Apply(Portico.Configuration.ConfigLoader.Validate(config, running.BaseDirectory)).Applied;

        // Turned back on, a request is logged again: the earlier one would have been logged before it.
        var after = Guid.NewGuid().ToString("N");
        using var on = await Host.GetAsync($"app/{SessionsHost.EchoPath}?marker={after}");
        await LineAsync(after);
        Assert.DoesNotContain(AccessLines(), l => l.Message.Contains(marker, StringComparison.Ordinal));
    }

    private Task<QixSocket> ConnectAsync(string sessionId, string token, string marker)
    {
        var cookies = new CookieContainer();
        cookies.Add(Host.Portico.BaseAddress, new Cookie(SessionsHost.CookieName("app"), sessionId));
        return QixSocket.ConnectAsync(new Uri($"wss://localhost:{Host.Portico.HttpsPort}/app/app/engineData?qlik-csrf-token={token}&marker={marker}"), Host.Portico.CaPath, cookies);
    }

    private IEnumerable<LogLine> AccessLines() => Host.Portico.Logs.Lines.Where(l => l.Category == "Portico.Access");

    /// <summary>The access line of the request marked with <paramref name="marker"/>: written when the request ends, so perhaps just after the client has its answer.</summary>
    private async Task<LogLine> LineAsync(string marker)
    {
        await Eventually.TrueAsync(() => AccessLines().Any(l => l.Message.Contains(marker, StringComparison.Ordinal)), LineLimit, "the access log line");
        return Assert.Single(AccessLines(), l => l.Message.Contains(marker, StringComparison.Ordinal));
    }

    private static long BytesOf(LogLine line) => long.Parse(BytesField().Match(line.Message).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@" ([0-9]+)B ")]
    private static partial Regex BytesField();
}
