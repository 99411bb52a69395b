using System.Text;
using System.Text.Json;
using Portico.Authentication;
using Portico.Sessions;
using Portico.WebSockets;

namespace Portico.Tests.Unit.WebSockets;

public sealed class SocketNoticeTests
{
    [Theory]
    [InlineData("Logout", "OnSessionLoggedOut", 1000)]
    [InlineData("IdleTimeout", "OnSessionTimedOut", 4001)]
    [InlineData("LifetimeExpired", "OnSessionTimedOut", 4001)]
    [InlineData("NeverUsed", "OnSessionTimedOut", 4001)]
    [InlineData("AdminDeleted", "OnSessionClosed", 1000)]
    [InlineData("UserTeardown", "OnSessionClosed", 1000)]
    [InlineData("ReplacedByLogin", "OnSessionClosed", 1000)]
    [InlineData("SessionLimit", "OnSessionClosed", 4005)]
    public void SessionEnd_HasQliksNotificationAndACloseStatusClientsDoNotReconnectOn(string reason, string method, int status)
    {
        var notice = SessionEndNotice.For(Enum.Parse<SessionEndReason>(reason));

        Assert.Equal((method, status), (notice.Method, (int)notice.CloseStatus));
    }

    [Fact]
    public void EveryReason_HasANotice()
    {
        foreach (var reason in Enum.GetValues<SessionEndReason>())
        {
            Assert.StartsWith("OnSession", SessionEndNotice.For(reason).Method, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Fatal_IsAJsonRpcNotificationWithSeverityTimestampAndMessage()
    {
        var json = JsonDocument.Parse(QpsNotifications.Fatal(SocketNotice.NoEngineAvailable, new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero))).RootElement;

        Assert.Equal("2.0", json.GetProperty("jsonrpc").GetString());
        Assert.False(json.TryGetProperty("id", out _));
        Assert.Equal("OnNoEngineAvailable", json.GetProperty("method").GetString());
        var parameters = json.GetProperty("params");
        Assert.Equal("fatal", parameters.GetProperty("severity").GetString());
        Assert.Equal("2026-12-02T10:00:00.000Z", parameters.GetProperty("timestamp").GetString());
        Assert.Equal(SocketNotice.NoEngineAvailable.Message, parameters.GetProperty("message").GetString());
    }

    [Fact]
    public void Authenticated_NamesTheUserAndWhereToLogOut_NothingElse()
    {
        var user = new AuthenticatedUser("CORP", "alice \"the admin\"") { Attributes = [new("group", "secret")] };

        var parameters = JsonDocument.Parse(QpsNotifications.Authenticated(user, "https://qlik.example.com/hr/qps/user")).RootElement.GetProperty("params");

        Assert.Equal(["userId", "userDirectory", "logoutUri", "mustAuthenticate"], parameters.EnumerateObject().Select(p => p.Name));
        Assert.Equal("alice \"the admin\"", parameters.GetProperty("userId").GetString());
        Assert.False(parameters.GetProperty("mustAuthenticate").GetBoolean());
    }

    [Fact]
    public void MustAuthenticate_WithoutALoginUri_LeavesItOut()
    {
        var parameters = JsonDocument.Parse(QpsNotifications.MustAuthenticate(null)).RootElement.GetProperty("params");

        Assert.True(parameters.GetProperty("mustAuthenticate").GetBoolean());
        Assert.False(parameters.TryGetProperty("loginUri", out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(125)]
    [InlineData(126)]
    [InlineData(65535)]
    [InlineData(65536)]
    public void Text_IsOneWholeFrameTheScannerFollows(int length)
    {
        var payload = new byte[length];
        var frame = ServerFrames.Text(payload);
        var scanner = new WebSocketFrameScanner();

        Assert.True(scanner.Scan(frame));
        Assert.True(scanner.AtMessageBoundary);
        Assert.Equal(0x81, frame[0]);
        Assert.Equal(payload.Length, frame.Length - (length < 126 ? 2 : length <= ushort.MaxValue ? 4 : 10));
    }

    [Fact]
    public void Close_CutsALongReasonOnACharacterBoundary()
    {
        var frame = ServerFrames.Close(4001, new string('é', 100));

        Assert.Equal(0x88, frame[0]);
        Assert.True(frame[1] <= 125);
        Assert.Equal((4001 >> 8, 4001 & 0xFF), (frame[2], frame[3]));
        var reason = frame.AsSpan(4).ToArray();
        Assert.Equal(122, reason.Length);
        Assert.Equal(new string('é', 61), new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(reason));
    }
}
