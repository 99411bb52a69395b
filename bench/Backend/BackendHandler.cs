using System.Net.WebSockets;
using System.Text;

namespace Portico.Bench.Backend;

internal static class BackendHandler
{
    // 100 bytes, like a small JSON answer; precomputed so the backend's own cost stays constant.
    private static readonly byte[] Body = Encoding.ASCII.GetBytes(
        "{\"bench\":\"backend\",\"note\":\"a fixed answer of one hundred bytes on any path, alike for every proxy\"}\n");

    private static readonly byte[] Healthy = Encoding.ASCII.GetBytes("ok");

    public static Task HandleAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments("/app") && context.WebSockets.IsWebSocketRequest)
        {
            return EchoAsync(context);
        }

        var body = context.Request.Path.Equals("/healthcheck") ? Healthy : Body;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body).AsTask();
    }

    /// <summary>Echoes every frame back as it arrives (text or binary), until the client closes.</summary>
    private static async Task EchoAsync(HttpContext context)
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        // Benchmark messages are 100 bytes; a larger message is echoed frame part by frame part.
        var buffer = new byte[1024];
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer.AsMemory(), context.RequestAborted);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, context.RequestAborted);
                    return;
                }

                await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, context.RequestAborted);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            // A load client that aborts instead of closing is normal at the end of a run.
        }
    }
}
