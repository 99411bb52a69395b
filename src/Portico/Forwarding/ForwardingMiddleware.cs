using Portico.Authentication;
using Portico.Http;
using Portico.Sessions;
using Portico.VirtualProxies;

namespace Portico.Forwarding;

/// <summary>
/// Step 8: hands the request to the YARP route of its virtual proxy, running the route's proxy
/// pipeline itself: the route is already known, so endpoint routing would only repeat the
/// decision. A WebSocket is registered under its session (so ending the session closes it) and its
/// traffic counts as session activity. The last step: nothing after it runs.
/// </summary>
internal sealed partial class ForwardingMiddleware(ForwardingRoutes routes, SessionSockets sockets, SessionManager sessions, TimeProvider time, ILogger<ForwardingMiddleware> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = PorticoRequest.Of(context);
        var virtualProxy = request.VirtualProxy;
        var endpoint = routes.Find(virtualProxy.RouteId);
        if (endpoint?.RequestDelegate is not { } forward)
        {
            // Only while a reload that adds this virtual proxy is being applied.
            Log.RouteMissing(logger, virtualProxy.DisplayName);
            return PorticoResponse.WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "engine_unavailable",
                $"Virtual proxy '{virtualProxy.DisplayName}' is being reconfigured; try again in a moment.");
        }

        if (WebSocketRequests.IsOtherUpgrade(context))
        {
            Log.UpgradeRefused(logger, virtualProxy.DisplayName);
            return PorticoResponse.WriteErrorAsync(context, StatusCodes.Status400BadRequest, "upgrade_not_supported",
                "Request refused: only WebSocket upgrades are forwarded to engines.");
        }

        // YARP's pipeline reads its route from the endpoint.
        context.SetEndpoint(endpoint);
        var session = request.Authentication?.Session;
        return session is null || !WebSocketRequests.IsWebSocket(context)
            ? forward(context)
            : ForwardWebSocketAsync(context, forward, session.Id);
    }

    private async Task ForwardWebSocketAsync(HttpContext context, RequestDelegate forward, string sessionId)
    {
        void OnActivity() => _ = TouchQuietlyAsync(sessionId);
        if (context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade)
        {
            context.Features.Set<IHttpUpgradeFeature>(new SessionActivityUpgradeFeature(upgrade, time, OnActivity));
        }

        if (context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true } connect)
        {
            context.Features.Set<IHttpExtendedConnectFeature>(new SessionActivityExtendedConnectFeature(connect, time, OnActivity));
        }

        using (sockets.Track(sessionId, context))
        {
            await forward(context);
        }
    }

    private async Task TouchQuietlyAsync(string sessionId)
    {
        try
        {
            await sessions.TouchAsync(sessionId, CancellationToken.None);
        }
        catch (Exception ex)
        {
            Log.TouchFailed(logger, ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(8001, LogLevel.Warning, "No forwarding route for virtual proxy {VirtualProxy} yet.")]
        public static partial void RouteMissing(ILogger logger, string virtualProxy);

        [LoggerMessage(8005, LogLevel.Warning, "Upgrade on virtual proxy {VirtualProxy} refused: not a WebSocket.")]
        public static partial void UpgradeRefused(ILogger logger, string virtualProxy);

        [LoggerMessage(8003, LogLevel.Warning, "Recording WebSocket activity failed.")]
        public static partial void TouchFailed(ILogger logger, Exception exception);
    }
}
