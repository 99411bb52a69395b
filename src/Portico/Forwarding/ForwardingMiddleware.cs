using Portico.Authentication;
using Portico.Configuration;
using Portico.HttpsRedirection;
using Portico.Http;
using Portico.Listeners;
using Portico.Sessions;
using Portico.VirtualProxies;
using Portico.WebSockets;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Portico.Forwarding;

/// <summary>
/// Step 8: hands the request to its virtual proxy's engine. Portico has already chosen the route,
/// so endpoint routing would only repeat the decision: with one engine node the request goes
/// straight to YARP's forwarder; with a choice of nodes it runs the route's proxy pipeline, where
/// load balancing, affinity and health decide. A WebSocket is registered
/// under its session (so ending the session closes it), its client is told who it acts for as it
/// opens (OnAuthenticationInformation, as Qlik's proxy does), and its traffic counts as session
/// activity. The last step: nothing after it runs.
/// </summary>
internal sealed partial class ForwardingMiddleware(ForwardingRoutes routes, IHttpForwarder forwarder, SessionSockets sockets, SessionManager sessions, LoginSessions logins, ConfigSnapshotStore snapshots, BoundListeners listeners, TimeProvider time, ILogger<ForwardingMiddleware> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = PorticoRequest.Of(context);
        var virtualProxy = request.VirtualProxy;
        if (routes.Find(virtualProxy.RouteId) is not { } route)
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

        // The engine is told who the user is, so a login still pending gets its session now.
        var outcome = request.AuthenticationOutcome;
        return outcome.Session is null && outcome.Pending is not null
            ? ForwardNewLoginAsync(context, route)
            : ForwardSessionAsync(context, route, outcome.Session);
    }

    private async Task ForwardNewLoginAsync(HttpContext context, ForwardingRoute route)
    {
        if (await logins.EnsureAsync(context) is { } session)
        {
            await ForwardSessionAsync(context, route, session);
        }
    }

    private Task ForwardSessionAsync(HttpContext context, ForwardingRoute route, Session? session) =>
        session is null || !WebSocketRequests.IsWebSocket(context)
            ? ForwardAsync(context, route)
            : ForwardWebSocketAsync(context, route, session);

    private Task ForwardAsync(HttpContext context, ForwardingRoute route)
    {
        if (route.SoleDestination is { } destination)
        {
            return ForwardToAsync(context, route.Model, destination);
        }

        // YARP's pipeline reads its route from the endpoint.
        context.SetEndpoint(route.Endpoint);
        return route.Endpoint.RequestDelegate!(context);
    }

    /// <summary>What YARP's forwarder step does once a node is chosen, without the pipeline's per-request state.</summary>
    private async Task ForwardToAsync(HttpContext context, RouteModel route, DestinationState destination)
    {
        var cluster = route.Cluster!.Model;
        var error = await forwarder.SendAsync(context, destination.Model.Config.Address, cluster.HttpClient,
            cluster.Config.HttpRequest ?? ForwarderRequestConfig.Empty, route.Transformer);
        if (error != ForwarderError.None)
        {
            await EngineFailureAnswer.WriteIfFailedAsync(context, logger);
        }
    }

    private async Task ForwardWebSocketAsync(HttpContext context, ForwardingRoute route, Session session)
    {
        if (sockets.IsDraining)
        {
            await PorticoSocketAnswer.NotifyAndCloseAsync(context, SocketNotice.NodeShuttingDown, time.GetUtcNow());
            return;
        }

        var sessionId = session.Id;
        var max = snapshots.Current.Config.Sessions.MaxWebSocketsPerSession;
        using var socket = sockets.TryTrack(sessionId, context, max);
        if (socket is null)
        {
            Log.TooManySockets(logger, PorticoRequest.Of(context).VirtualProxy.DisplayName, max);
            await PorticoResponse.WriteErrorAsync(context, StatusCodes.Status429TooManyRequests, "too_many_websockets",
                $"This session already has {max} open WebSockets (sessions.maxWebSocketsPerSession); close one first.");
            return;
        }

        var virtualProxy = PorticoRequest.Of(context).VirtualProxy;
        var keepAlive = TimeSpan.FromSeconds(virtualProxy.Config.WebSocketKeepAliveSeconds);
        ClientSocketStream? tunnel = null;
        async Task<Stream> OpenAsync(Stream client)
        {
            tunnel = new ClientSocketStream(client, time, keepAlive, SessionManager.TouchInterval, () => _ = TouchQuietlyAsync(sessionId));
            var logoutUri = HttpsRedirectTarget.Build(snapshots.Current.Config.PublicHost, listeners.HttpsPort, new PathString(virtualProxy.PathBase + "/qps/user"), QueryString.Empty);
            await tunnel.WriteOpeningAsync(ServerFrames.Text(QpsNotifications.Authenticated(session.User, logoutUri)), context.RequestAborted);
            socket.Opened(tunnel);
            return tunnel;
        }

        if (context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade)
        {
            context.Features.Set<IHttpUpgradeFeature>(new ClientSocketUpgradeFeature(upgrade, OpenAsync));
        }

        if (context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true } connect)
        {
            context.Features.Set<IHttpExtendedConnectFeature>(new ClientSocketExtendedConnectFeature(connect, OpenAsync));
        }

        try
        {
            await ForwardAsync(context, route);
        }
        finally
        {
            // Whether or not the forwarder disposes the client's stream, its pings end with the tunnel.
            tunnel?.StopKeepAlive();
        }
    }

    private async Task TouchQuietlyAsync(string sessionId)
    {
        try
        {
            await sessions.RecordSocketActivityAsync(sessionId, CancellationToken.None);
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

        [LoggerMessage(8007, LogLevel.Information, "WebSocket on virtual proxy {VirtualProxy} refused: its session already has {Max} open.")]
        public static partial void TooManySockets(ILogger logger, string virtualProxy, int max);

        [LoggerMessage(8003, LogLevel.Warning, "Recording WebSocket activity failed.")]
        public static partial void TouchFailed(ILogger logger, Exception exception);
    }
}
