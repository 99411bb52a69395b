using Portico.Http;
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

/// <summary>The answer to a request the forwarder could not get an engine's response for.</summary>
internal static partial class EngineFailureAnswer
{
    public static Task WriteIfFailedAsync(HttpContext context, ILogger logger)
    {
        // A started response is the engine's answer, and most requests end here without looking up
        // the error feature, which is absent (a lookup that misses walks every feature there is).
        if (context.Response.HasStarted || context.Features.Get<IForwarderErrorFeature>() is not { } error)
        {
            return Task.CompletedTask;
        }

        var virtualProxy = PorticoRequest.Find(context)?.VirtualProxy.DisplayName ?? "(unknown)";

        // The client went away before the engine answered (YARP reports it as a canceled request):
        // nobody is left to answer, and nothing is wrong with the engine.
        if (context.RequestAborted.IsCancellationRequested)
        {
            Log.ClientGone(logger, virtualProxy, error.Error);
            return Task.CompletedTask;
        }

        Log.EngineFailed(logger, virtualProxy, error.Error, error.Exception?.GetType().Name);
        var (status, message) = error.Error switch
        {
            ForwarderError.NoAvailableDestinations => (StatusCodes.Status503ServiceUnavailable,
                $"No healthy engine node is available for virtual proxy '{virtualProxy}'. Check that the engines in loadBalancingServerNodes are running."),
            ForwarderError.RequestTimedOut => (StatusCodes.Status504GatewayTimeout,
                $"The engine for virtual proxy '{virtualProxy}' did not answer in time."),
            _ => (StatusCodes.Status502BadGateway,
                $"The engine for virtual proxy '{virtualProxy}' could not be reached or failed ({error.Error})."),
        };
        return PorticoResponse.WriteErrorAsync(context, status, "engine_unavailable", message);
    }

    private static partial class Log
    {
        [LoggerMessage(8002, LogLevel.Warning, "Forwarding for virtual proxy {VirtualProxy} failed: {Error} ({Exception}).")]
        public static partial void EngineFailed(ILogger logger, string virtualProxy, ForwarderError error, string? exception);

        [LoggerMessage(8006, LogLevel.Debug, "Forwarding for virtual proxy {VirtualProxy} ended: the client went away first ({Error}).")]
        public static partial void ClientGone(ILogger logger, string virtualProxy, ForwarderError error);
    }
}
