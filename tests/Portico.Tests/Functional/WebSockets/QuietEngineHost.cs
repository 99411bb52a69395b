using System.Net.WebSockets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Portico.Tests.Support;

namespace Portico.Tests.Functional.WebSockets;

/// <summary>
/// An engine that accepts WebSockets and never sends anything of its own (no pings either): it only
/// echoes what it receives, like a Qlik engine whose user is reading a sheet. It sits behind a real
/// Portico on the real clock, on an always-anonymous virtual proxy whose engine idle timeout is
/// <see cref="IdleTimeoutSeconds"/>, so a quiet socket lives only as long as something keeps it busy.
/// </summary>
public sealed class QuietEngineHost : IAsyncDisposable
{
    public const string Prefix = "quiet";

    public const int IdleTimeoutSeconds = 3;

    private readonly WebApplication _engine;

    private QuietEngineHost(WebApplication engine, PorticoTestHost portico)
    {
        _engine = engine;
        Portico = portico;
    }

    public PorticoTestHost Portico { get; }

    /// <param name="keepAliveSeconds">The virtual proxy's webSocketKeepAliveSeconds; 0 sends no pings.</param>
    public static async Task<QuietEngineHost> StartAsync(int keepAliveSeconds)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseUrls("http://127.0.0.1:0");
        var engine = builder.Build();
        engine.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        engine.Run(EchoAsync);
        await engine.StartAsync();
        try
        {
            var address = engine.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
            var portico = await PorticoTestHost.StartAsync(PorticoTestHost.BaseConfig(
                PorticoTestHost.AnonymousProxy(Prefix, new Uri(address)) with
                {
                    EngineIdleTimeoutSeconds = IdleTimeoutSeconds,
                    WebSocketKeepAliveSeconds = keepAliveSeconds,
                }));
            return new QuietEngineHost(engine, portico);
        }
        catch
        {
            await engine.DisposeAsync();
            throw;
        }
    }

    /// <summary>A WebSocket to the engine through Portico, as a new anonymous visitor.</summary>
    /// <summary>A socket through Portico, past Portico's opening OnAuthenticationInformation: what comes next is the engine's.</summary>
    public async Task<QixSocket> ConnectAsync()
    {
        var socket = await QixSocket.ConnectAsync(new Uri($"wss://localhost:{Portico.HttpsPort}/{Prefix}/app/engineData"), Portico.CaPath);
        await socket.WaitForNotificationAsync("OnAuthenticationInformation");
        return socket;
    }

    public async ValueTask DisposeAsync()
    {
        await Portico.DisposeAsync();
        await _engine.StopAsync();
        await _engine.DisposeAsync();
    }

    /// <summary>Answers health checks (and anything else) with 200; a WebSocket gets back what it sends, until it closes.</summary>
    private static async Task EchoAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, context.RequestAborted);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, context.RequestAborted);
                    return;
                }

                await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, context.RequestAborted);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // Portico cut the connection (its idle timeout) or the host is stopping.
        }
    }
}
