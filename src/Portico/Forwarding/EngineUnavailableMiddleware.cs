using Portico.Http;
using Portico.WebSockets;
using Yarp.ReverseProxy.Forwarder;

namespace Portico.Forwarding;

/// <summary>
/// Inside YARP's proxy pipeline (virtual proxies with a choice of engine nodes):
/// when no engine answered, YARP leaves a bare 502/503; <see cref="EngineFailureAnswer"/> turns it
/// into a body that says which virtual proxy had no engine and what happened.
/// </summary>
internal sealed class EngineUnavailableMiddleware(RequestDelegate next, ILogger<EngineUnavailableMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);
        await EngineFailureAnswer.WriteIfFailedAsync(context, logger);
    }
}

/// <summary>
/// The answer to a request the forwarder could not complete, and its one log line. YARP's own log
/// lines for these are filtered out (see PorticoApplication): they carry stack traces, also for
/// failures any client can cause at will.
/// </summary>
internal static partial class EngineFailureAnswer
{
    public static Task WriteIfFailedAsync(HttpContext context, ILogger logger)
    {
        // Most requests end here without looking up the error feature, which is absent (a lookup
        // that misses walks every feature there is): a started response is the engine's answer,
        // complete unless it was an upgrade (a WebSocket tunnel ends with the error of whichever
        // side broke it) or the connection was aborted (YARP aborts a response it cannot complete).
        var response = context.Response;
        if (response.HasStarted && !WebSocketRequests.MayUpgrade(context) && !context.RequestAborted.IsCancellationRequested)
        {
            return Task.CompletedTask;
        }

        if (context.Features.Get<IForwarderErrorFeature>() is not { } error)
        {
            return Task.CompletedTask;
        }

        var virtualProxy = PorticoRequest.Find(context)?.VirtualProxy.DisplayName ?? "(unknown)";
        var exception = ForwardingFailure.Describe(error.Exception);
        var clientGone = context.RequestAborted.IsCancellationRequested;
        switch (ForwardingFailure.CauseOf(error.Error))
        {
            case ForwardingFailureCause.None:
                return Task.CompletedTask;

            case ForwardingFailureCause.Client:
                Log.EndedByClient(logger, virtualProxy, error.Error, exception);

                // Nobody is left to answer, or the engine's answer is already on its way.
                if (clientGone || response.HasStarted)
                {
                    return Task.CompletedTask;
                }

                // YARP has set the status Kestrel chose for an unreadable body (400, 408, 413).
                var clientStatus = response.StatusCode is >= 400 and < 500 ? response.StatusCode : StatusCodes.Status400BadRequest;
                return PorticoResponse.WriteErrorAsync(context, clientStatus, "bad_request",
                    $"Request refused: it could not be read from the client ({error.Error}).");

            default:
                Log.EngineFailed(logger, virtualProxy, error.Error, exception);
                if (clientGone || response.HasStarted)
                {
                    return Task.CompletedTask;
                }

                var (status, message) = error.Error switch
                {
                    ForwarderError.NoAvailableDestinations => (StatusCodes.Status503ServiceUnavailable,
                        $"No healthy engine node is available for virtual proxy '{virtualProxy}'. Check that the engines in loadBalancingServerNodes are running."),
                    ForwarderError.RequestTimedOut => (StatusCodes.Status504GatewayTimeout,
                        $"The engine for virtual proxy '{virtualProxy}' did not answer in time."),
                    _ => (StatusCodes.Status502BadGateway,
                        $"The engine for virtual proxy '{virtualProxy}' could not be reached or failed ({error.Error})."),
                };
                // A WebSocket is told the way Qlik's proxy tells it: OnNoEngineAvailable, then a close.
                return context.WebSockets.IsWebSocketRequest
                    ? PorticoSocketAnswer.NotifyAndCloseAsync(context, SocketNotice.NoEngineAvailable, DateTimeOffset.UtcNow)
                    : PorticoResponse.WriteErrorAsync(context, status, "engine_unavailable", message);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(8002, LogLevel.Warning, "Forwarding for virtual proxy {VirtualProxy} failed: {Error} ({Exception}).")]
        public static partial void EngineFailed(ILogger logger, string virtualProxy, ForwarderError error, string? exception);

        [LoggerMessage(8006, LogLevel.Debug, "Forwarding for virtual proxy {VirtualProxy} was ended by the client: {Error} ({Exception}).")]
        public static partial void EndedByClient(ILogger logger, string virtualProxy, ForwarderError error, string? exception);
    }
}
