using Portico.Sessions;
using Portico.WebSockets;

namespace Portico.Hosting;

/// <summary>
/// What a node does the moment it is told to stop (SIGTERM, Ctrl+C), before its listeners close:
/// every tunnelled WebSocket is told the node is going away (Qlik's OnSessionClosed and a 1001
/// close frame, so clients reconnect, through a load balancer to another node) and new ones are
/// refused the same way; in-flight requests then get <c>shutdown.drainSeconds</c> to finish. The
/// sessions themselves live on. See docs/architecture.md, "Graceful drain".
/// </summary>
internal sealed partial class GracefulDrain(SessionSockets sockets, ILogger<GracefulDrain> logger)
{
    public void Begin(TimeSpan drainTime)
    {
        var told = sockets.EndAll(SocketNotice.NodeShuttingDown);
        Log.Draining(logger, told, (int)drainTime.TotalSeconds);
    }

    private static partial class Log
    {
        [LoggerMessage(1201, LogLevel.Information, "Stopping: {Sockets} open WebSocket(s) told to reconnect; in-flight requests get up to {DrainSeconds} s to finish.")]
        public static partial void Draining(ILogger logger, int sockets, int drainSeconds);
    }
}
