using System.Net.WebSockets;

namespace Portico.WebSockets;

/// <summary>
/// Answers a WebSocket upgrade that will not reach an engine the way Qlik's proxy does: the socket
/// opens, carries one notification that says why, and closes. Qlik's clients read the notification
/// (an HTTP refusal would only show them a failed connection).
/// </summary>
internal static class PorticoSocketAnswer
{
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(5);

    public static async Task NotifyAndCloseAsync(HttpContext context, byte[] notification, WebSocketCloseStatus status, string reason)
    {
        Logging.SocketAccessRecord.Find(context)?.ClosedByPortico(reason);
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(SendTimeout);
        try
        {
            await socket.SendAsync(notification, WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
            await socket.CloseAsync(status, reason, timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The client went away first; there is nobody left to tell.
        }
    }

    /// <summary>The notice's notification, then its close status and reason.</summary>
    public static Task NotifyAndCloseAsync(HttpContext context, SocketNotice notice, DateTimeOffset now) =>
        NotifyAndCloseAsync(context, QpsNotifications.Fatal(notice, now), (WebSocketCloseStatus)notice.CloseStatus, notice.CloseReason);
}
