using System.Net;
using System.Net.WebSockets;
using System.Text.Json;

namespace Portico.Tests.Support;

/// <summary>A minimal JSON-RPC client over a real WebSocket, for tests that need a socket held open or a raw upgrade.</summary>
public sealed class QixSocket : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private int _nextId;

    private QixSocket(ClientWebSocket socket) => _socket = socket;

    public WebSocketState State => _socket.State;

    public static async Task<QixSocket> ConnectAsync(Uri url, string caPath, CookieContainer? cookies = null, IReadOnlyDictionary<string, string>? headers = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.RemoteCertificateValidationCallback = TlsTrust.For(caPath);
        if (cookies is not null)
        {
            socket.Options.Cookies = cookies;
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            socket.Options.SetRequestHeader(name, value);
        }

        socket.Options.CollectHttpResponseDetails = true;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await socket.ConnectAsync(url, cts.Token);
        return new QixSocket(socket);
    }

    /// <summary>Reads frames until one is the notification <paramref name="method"/>.</summary>
    public async Task<JsonElement> WaitForNotificationAsync(string method)
    {
        while (true)
        {
            var message = await ReceiveAsync();
            if (message.TryGetProperty("method", out var m) && m.GetString() == method)
            {
                return message;
            }
        }
    }

    public async Task<JsonElement> CallAsync(string method, int handle = -1, params object[] parameters)
    {
        var id = Interlocked.Increment(ref _nextId);
        await SendAsync(new { jsonrpc = "2.0", id, method, handle, @params = parameters });
        while (true)
        {
            var message = await ReceiveAsync();
            if (message.TryGetProperty("id", out var responseId) && responseId.ValueKind == JsonValueKind.Number && responseId.GetInt32() == id)
            {
                return message;
            }
        }
    }

    /// <summary>Sends one message as JSON without waiting for anything, e.g. while a <see cref="ReceiveAsync"/> is already pending.</summary>
    public Task SendAsync(object message) =>
        _socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, true, CancellationToken.None);

    public async Task<JsonElement> ReceiveAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var buffer = new ArraySegment<byte>(new byte[64 * 1024]);
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await _socket.ReceiveAsync(buffer, cts.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new WebSocketException($"closed by the server: {result.CloseStatus} {result.CloseStatusDescription}");
            }

            message.Write(buffer.Array!, 0, result.Count);
        }
        while (!result.EndOfMessage);

        return JsonDocument.Parse(message.ToArray()).RootElement.Clone();
    }

    /// <summary>Waits for the server to close the socket (or the connection to drop).</summary>
    public async Task<bool> WaitForCloseAsync(TimeSpan limit)
    {
        using var cts = new CancellationTokenSource(limit);
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, cts.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return true;
                }
            }
        }
        catch (WebSocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                // The whole close handshake: with only our close frame sent, disposing at once can
                // reset the connection before Portico has read that frame.
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cts.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
            }
        }

        _socket.Dispose();
    }
}
