using Portico.Audit;
using Portico.Configuration;
using Portico.Http;
using Portico.Listeners;
using Portico.Operations;
using Portico.VirtualProxies;

namespace Portico.Cors;

/// <summary>
/// Step 3: classifies the Origin, marks allowed cross-origin requests (the headers are written with
/// the other response headers), and answers CORS preflights itself: they need no authentication
/// and are never forwarded to an engine.
/// </summary>
internal sealed partial class CorsMiddleware(RequestDelegate next, ConfigSnapshotStore snapshots, BoundListeners listeners, PorticoMetrics metrics, AuditLog audit, ILogger<CorsMiddleware> logger)
{
    private readonly Func<string, WebOrigin?> _parseOrigin = new OriginParseCache().Parse;

    // Every request from an allowed origin echoes the same text: serialized once, not per request.
    private readonly BoundedMemo<WebOrigin, string> _allowOriginValues = new(OriginParseCache.DefaultCapacity);

    public Task InvokeAsync(HttpContext context)
    {
        var request = PorticoRequest.Of(context);
        var virtualProxy = request.VirtualProxy;
        var policy = virtualProxy.Cors;
        var ownOrigin = OwnOrigin();
        var check = OriginClassifier.Classify(context.Request.Headers.Origin, ownOrigin, policy.AllowList, _parseOrigin, out var origin);
        request.OriginCheck = check;
        if (check == OriginCheck.Allowed && policy.IsEnabled)
        {
            request.AllowedOrigin = _allowOriginValues.Get(origin!.Value, 0, static (allowed, _) => allowed.ToString());
        }

        // Refused before authentication, so a disallowed page cannot even spend a ticket or get a
        // session cookie planted through the attempt.
        if (!WebSocketOriginPolicy.Allows(check) && WebSocketRequests.IsWebSocket(context))
        {
            Log.WebSocketRefused(logger, virtualProxy.DisplayName);
            metrics.Refused(virtualProxy.DisplayName, RefusalReason.Origin);
            audit.Refused(AuditEvents.OriginRefused(context, virtualProxy.Prefix, "websocket_origin", WebSocketOriginPolicy.RefusalReason));
            return PorticoResponse.WriteErrorAsync(context, StatusCodes.Status403Forbidden, "origin_not_allowed", $"Request refused: {WebSocketOriginPolicy.RefusalReason}.", Csrf.CsrfRefusalCode.Origin);
        }

        if (!IsPreflight(context.Request))
        {
            return next(context);
        }

        if (check == OriginCheck.Allowed && policy.IsEnabled)
        {
            CorsResponseHeaders.ApplyPreflight(context.Response.Headers, policy, origin!.Value);
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        }

        Log.PreflightRefused(logger, virtualProxy.DisplayName, check);
        metrics.Refused(virtualProxy.DisplayName, RefusalReason.Origin);
        audit.Refused(AuditEvents.OriginRefused(context, virtualProxy.Prefix, "preflight_origin", "preflight from an origin that is " + check));
        return PorticoResponse.WriteErrorAsync(context, StatusCodes.Status403Forbidden, "origin_not_allowed",
            "This origin is not in the virtual proxy's host allow list (websocketCrossOriginWhiteList).");
    }

    private OwnOriginCache? _ownOrigin;

    /// <summary>The proxy's origin, recomputed only when the configured public host changes.</summary>
    private WebOrigin OwnOrigin()
    {
        var publicHost = snapshots.Current.Config.PublicHost;
        var cached = _ownOrigin;
        if (cached is null || !ReferenceEquals(cached.PublicHost, publicHost))
        {
            cached = new OwnOriginCache(publicHost, OriginClassifier.OwnOrigin(publicHost, listeners.HttpsPort));
            _ownOrigin = cached;
        }

        return cached.Origin;
    }

    private sealed record OwnOriginCache(string PublicHost, WebOrigin Origin);

    /// <summary>Fetch standard: a CORS-preflight request is OPTIONS with Origin and Access-Control-Request-Method.</summary>
    internal static bool IsPreflight(HttpRequest request) =>
        HttpMethods.IsOptions(request.Method)
        && request.Headers.Origin.Count > 0
        && request.Headers.AccessControlRequestMethod.Count > 0;

    private static partial class Log
    {
        [LoggerMessage(3102, LogLevel.Warning, "WebSocket upgrade on virtual proxy {VirtualProxy} refused: its Origin is not allowed.")]
        public static partial void WebSocketRefused(ILogger logger, string virtualProxy);

        [LoggerMessage(3101, LogLevel.Information, "CORS preflight on virtual proxy {VirtualProxy} refused: origin {Check}.")]
        public static partial void PreflightRefused(ILogger logger, string virtualProxy, OriginCheck check);
    }
}
