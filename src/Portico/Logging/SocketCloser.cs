using Yarp.ReverseProxy.Forwarder;

namespace Portico.Logging;

/// <summary>Which side ended a WebSocket, as the access log tells it.</summary>
internal enum SocketCloser
{
    /// <summary>The client sent the first close frame.</summary>
    Client,

    /// <summary>The engine sent the first close frame.</summary>
    Engine,

    /// <summary>Portico closed it: the session ended, the node is stopping, no login, no engine.</summary>
    Portico,

    /// <summary>Nothing went either way for the engine idle timeout.</summary>
    IdleTimeout,

    /// <summary>The client's connection broke without a close frame.</summary>
    ClientLost,

    /// <summary>The engine's connection broke without a close frame.</summary>
    EngineLost,

    /// <summary>The tunnel ended without a close frame and without an error on either side.</summary>
    NoCloseFrame,
}

/// <summary>Who closed a WebSocket, from what the access log saw of it.</summary>
internal static class SocketCloserDecision
{
    /// <param name="firstClose">The direction of the first close frame, if any went by.</param>
    /// <param name="closedByPortico">Portico wrote, or was about to write, its own close frame.</param>
    /// <param name="forwarderError">The forwarder's error for the tunnel, <see cref="ForwarderError.None"/> when there was none.</param>
    /// <param name="clientAborted">The client's connection ended under the request.</param>
    public static SocketCloser Decide(CloseFrameDirection firstClose, bool closedByPortico, ForwarderError forwarderError, bool clientAborted)
    {
        // 1. A close frame from the client came first: whatever happened afterwards, the client ended it.
        if (firstClose == CloseFrameDirection.FromClient)
        {
            return SocketCloser.Client;
        }

        // 2. Portico ends a socket with its own close frame, or cuts it when the client does not take it.
        if (closedByPortico)
        {
            return SocketCloser.Portico;
        }

        // 3. Otherwise a close frame toward the client is the engine's.
        if (firstClose == CloseFrameDirection.ToClient)
        {
            return SocketCloser.Engine;
        }

        // 4. No close frame: the forwarder says which side failed.
        return forwarderError switch
        {
            ForwarderError.UpgradeActivityTimeout => SocketCloser.IdleTimeout,
            ForwarderError.UpgradeRequestClient or ForwarderError.UpgradeResponseClient => SocketCloser.ClientLost,
            ForwarderError.UpgradeRequestDestination or ForwarderError.UpgradeResponseDestination => SocketCloser.EngineLost,
            _ when clientAborted => SocketCloser.ClientLost,
            _ => SocketCloser.NoCloseFrame,
        };
    }

    /// <summary>The access log's word for it.</summary>
    public static string Name(SocketCloser closer) => closer switch
    {
        SocketCloser.Client => "client",
        SocketCloser.Engine => "engine",
        SocketCloser.Portico => "portico",
        SocketCloser.IdleTimeout => "idle-timeout",
        SocketCloser.ClientLost => "client-lost",
        SocketCloser.EngineLost => "engine-lost",
        _ => "no-close-frame",
    };
}

internal enum CloseFrameDirection
{
    None,
    FromClient,
    ToClient,
}
