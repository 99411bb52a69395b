using Yarp.ReverseProxy.Forwarder;

namespace Portico.Forwarding;

/// <summary>Who made a forwarded request fail: the side that must change for it to succeed.</summary>
internal enum ForwardingFailureCause
{
    /// <summary>Nothing failed.</summary>
    None,

    /// <summary>
    /// The client: it sent a body that cannot be read (a broken chunk), went away, or closed its
    /// WebSocket without a close frame. Anyone can cause these at will, so they are answered
    /// (when anyone is left to answer) and logged at debug level only.
    /// </summary>
    Client,

    /// <summary>The engine, or the way to it: worth a warning, because an admin can act on it.</summary>
    Engine,
}

internal static class ForwardingFailure
{
    /// <summary>
    /// The cause of a YARP forwarding error. YARP names the side a stream copy failed on
    /// (…Client, …Destination) or that the client canceled (…Canceled: YARP cancels only on the
    /// client's request abort); everything else is about reaching or hearing from the engine.
    /// </summary>
    public static ForwardingFailureCause CauseOf(ForwarderError error) => error switch
    {
        ForwarderError.None => ForwardingFailureCause.None,
        ForwarderError.RequestCanceled
            or ForwarderError.RequestBodyCanceled
            or ForwarderError.RequestBodyClient
            or ForwarderError.ResponseBodyCanceled
            or ForwarderError.ResponseBodyClient
            or ForwarderError.UpgradeRequestCanceled
            or ForwarderError.UpgradeRequestClient
            or ForwarderError.UpgradeResponseCanceled
            or ForwarderError.UpgradeResponseClient
            // A tunnel idle for the engine idle timeout: with keep-alive pings a live client always
            // answers, so the client is gone (or pings are off and both sides were quiet).
            or ForwarderError.UpgradeActivityTimeout => ForwardingFailureCause.Client,
        _ => ForwardingFailureCause.Engine,
    };

    /// <summary>
    /// What the log says about the exception behind a failure: its type name, never its message
    /// or stack trace (both can be long, and a client can provoke them at will). YARP wraps
    /// request body failures in an AggregateException; the first inner exception is the telling one.
    /// </summary>
    public static string? Describe(Exception? exception)
    {
        while (exception is AggregateException { InnerExceptions: [var first, ..] })
        {
            exception = first;
        }

        return exception?.GetType().Name;
    }
}
