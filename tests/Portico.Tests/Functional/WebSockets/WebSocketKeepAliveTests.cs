namespace Portico.Tests.Functional.WebSockets;

/// <summary>
/// A WebSocket lives as long as its client does, not as long as its last message: Portico pings a
/// quiet client, and the client's pongs keep the engine connection from idling out. Real time, with
/// an engine idle timeout of 3 seconds and a ping after 1 quiet second.
/// </summary>
public sealed class WebSocketKeepAliveTests : IAsyncLifetime
{
    private QuietEngineHost _host = null!;

    public async Task InitializeAsync() => _host = await QuietEngineHost.StartAsync(keepAliveSeconds: 1);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task QuietClient_AnsweringPings_OutlivesTheEngineIdleTimeout()
    {
        await using var socket = await _host.ConnectAsync();

        // The client answers pings while it is receiving, as a browser always is; nothing else is sent.
        var next = socket.ReceiveAsync();
        await Task.Delay(TimeSpan.FromSeconds(QuietEngineHost.IdleTimeoutSeconds + 5));
        Assert.False(next.IsCompleted, "the quiet socket was closed");

        await socket.SendAsync(new { method = "StillThere" });

        var echo = await next;
        Assert.Equal("StillThere", echo.GetProperty("method").GetString());
    }
}
