using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Portico.DemoEngine.Tests.Functional;

/// <summary>A bare WebSocket to the engine, for protocol edges enigma.js never produces (binary frames, junk, huge messages).</summary>
internal sealed class EngineSocketClient : IAsyncDisposable
{
    private static readonly TimeSpan ReceiveTimeout = TimeSpan.FromSeconds(10);

    private readonly ClientWebSocket _socket;

    private EngineSocketClient(ClientWebSocket socket)
    {
        _socket = socket;
    }

    public WebSocketState State => _socket.State;

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public string? CloseStatusDescription => _socket.CloseStatusDescription;

    public static async Task<EngineSocketClient> ConnectAsync(DemoEngineServer server, string path, string? qlikUser = Users.AliceHeader)
    {
        var socket = new ClientWebSocket();
        if (qlikUser is not null)
        {
            socket.Options.SetRequestHeader("X-Qlik-User", qlikUser);
        }

        var uri = new UriBuilder(new Uri(server.BaseAddress, path)) { Scheme = "ws" }.Uri;
        using var timeout = new CancellationTokenSource(ReceiveTimeout);
        await socket.ConnectAsync(uri, timeout.Token);
        return new EngineSocketClient(socket);
    }

    public Task SendTextAsync(string text) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    public Task SendBinaryAsync(byte[] data) =>
        _socket.SendAsync(data, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);

    /// <summary>The next text message as JSON, or <c>null</c> when the engine closed the socket instead.</summary>
    public async Task<JsonElement?> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(ReceiveTimeout);
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        ValueWebSocketReceiveResult received;
        do
        {
            received = await _socket.ReceiveAsync(buffer.AsMemory(), timeout.Token);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, received.Count);
        }
        while (!received.EndOfMessage);

        return JsonDocument.Parse(message.ToArray()).RootElement.Clone();
    }

    /// <summary>Receives until the engine closes; the messages that came first are returned.</summary>
    public async Task<IReadOnlyList<JsonElement>> ReceiveUntilClosedAsync()
    {
        var messages = new List<JsonElement>();
        while (await ReceiveAsync() is { } message)
        {
            messages.Add(message);
        }

        return messages;
    }

    public async Task<JsonElement> RequestAsync(string frame)
    {
        await SendTextAsync(frame);
        var reply = await ReceiveAsync();
        Assert.NotNull(reply);
        return reply.Value;
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
            catch (Exception error) when (error is WebSocketException or OperationCanceledException)
            {
                // Already gone; nothing to release but the object.
            }
        }

        _socket.Dispose();
    }
}
