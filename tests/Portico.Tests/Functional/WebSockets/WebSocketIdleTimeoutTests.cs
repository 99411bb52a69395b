using System.Diagnostics;

namespace Portico.Tests.Functional.WebSockets;

/// <summary>
/// Control for <see cref="WebSocketKeepAliveTests"/>: without keep-alive pings, a socket on which
/// nobody speaks is closed by Portico after the virtual proxy's engine idle timeout (3 seconds here),
/// not after a fixed proxy timeout. Real time; a class of its own so it runs beside the other.
/// </summary>
public sealed class WebSocketIdleTimeoutTests : IAsyncLifetime
{
    private QuietEngineHost _host = null!;

    public async Task InitializeAsync() => _host = await QuietEngineHost.StartAsync(keepAliveSeconds: 0);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task QuietSocket_WithoutKeepAlive_IsClosedAfterTheEngineIdleTimeout()
    {
        await using var socket = await _host.ConnectAsync();
        var echo = await socket.CallAsync("Hello");
        Assert.Equal("Hello", echo.GetProperty("method").GetString());
        var quietSince = Stopwatch.StartNew();

        Assert.True(await socket.WaitForCloseAsync(TimeSpan.FromSeconds(10)), "the quiet socket stayed open");
        Assert.True(quietSince.Elapsed >= TimeSpan.FromSeconds(QuietEngineHost.IdleTimeoutSeconds - 1), $"closed after {quietSince.Elapsed}, before the idle timeout");
    }
}
