using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Portico.Authentication;

namespace Portico.WebSockets;

/// <summary>
/// The JSON-RPC notifications (no id) Qlik's proxy writes on engine sockets itself, which Qlik's
/// clients wait for or show to the user: who the socket acts for when it opens, and why it is
/// about to close. See docs/architecture.md, "Socket notifications".
/// </summary>
internal static class QpsNotifications
{
    public const string AuthenticationInformation = "OnAuthenticationInformation";

    /// <summary>An authenticated socket: who it acts for and where to log out (@qlik/api waits for this on Qlik Sense Enterprise).</summary>
    public static byte[] Authenticated(AuthenticatedUser user, string logoutUri) => Write(AuthenticationInformation, json =>
    {
        json.WriteString("userId", user.UserId);
        json.WriteString("userDirectory", user.UserDirectory);
        json.WriteString("logoutUri", logoutUri);
        json.WriteBoolean("mustAuthenticate", false);
    });

    /// <summary>An unauthenticated socket: the client has to log in first, at <paramref name="loginUri"/> when there is one.</summary>
    public static byte[] MustAuthenticate(string? loginUri) => Write(AuthenticationInformation, json =>
    {
        if (loginUri is not null)
        {
            json.WriteString("loginUri", loginUri);
        }

        json.WriteBoolean("mustAuthenticate", true);
    });

    /// <summary>The notification of a socket Portico is about to close (<c>severity: fatal</c>).</summary>
    public static byte[] Fatal(SocketNotice notice, DateTimeOffset now) => Write(notice.Method, json =>
    {
        json.WriteString("severity", "fatal");
        json.WriteString("timestamp", now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        json.WriteString("message", notice.Message);
    });

    private static byte[] Write(string method, Action<Utf8JsonWriter> writeParams)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("jsonrpc", "2.0");
            json.WriteString("method", method);
            json.WriteStartObject("params");
            writeParams(json);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}

/// <summary>What a client is told before Portico closes its socket: the notification, and the close frame's status and reason.</summary>
internal sealed record SocketNotice(string Method, string Message, ushort CloseStatus, string CloseReason)
{
    /// <summary>No engine node could take the socket. 1013: try again later (RFC 6455 registry).</summary>
    public static readonly SocketNotice NoEngineAvailable = new("OnNoEngineAvailable",
        "No engine is available to open this connection. Try again later.", 1013, "No engine available");

    /// <summary>This Portico node is shutting down: the client reconnects (through a load balancer, to another node). 1001: going away.</summary>
    public static readonly SocketNotice NodeShuttingDown = new("OnSessionClosed",
        "The proxy is shutting down. Reconnect to continue.", 1001, "Proxy shutting down");

    /// <summary>The notification then the close frame, as one write.</summary>
    public byte[] Frames(DateTimeOffset now) => ServerFrames.NotifyAndClose(QpsNotifications.Fatal(this, now), CloseStatus, CloseReason);
}
