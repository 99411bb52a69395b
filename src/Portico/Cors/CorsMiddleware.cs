using Portico.Configuration;
using Portico.Http;
using Portico.Listeners;
using Portico.VirtualProxies;

namespace Portico.Cors;

/// <summary>
/// Step 3: classifies the Origin, marks allowed cross-origin requests (the headers are written with
/// the other response headers), and answers CORS preflights itself: they need no authentication
/// and are never forwarded to an engine.
/// </summary>
internal sealed partial class CorsMiddleware(RequestDelegate next, ConfigSnapshotStore snapshots, BoundListeners listeners, ILogger<CorsMiddleware> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        var virtualProxy = context.Features.GetRequiredFeature<VirtualProxyFeature>().VirtualProxy;
        var policy = virtualProxy.Cors;
        var ownOrigin = OriginClassifier.OwnOrigin(snapshots.Current.Config.PublicHost, listeners.HttpsPort);
        var check = OriginClassifier.Classify(context.Request.Headers.Origin, ownOrigin, policy.AllowList, out var origin);
        context.Features.Set(new RequestOriginFeature(check, origin));
        if (check == OriginCheck.Allowed && policy.IsEnabled)
        {
            context.Features.Set(new CorsFeature(origin!.Value));
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
        return PorticoResponse.WriteErrorAsync(context, StatusCodes.Status403Forbidden, "origin_not_allowed",
            "This origin is not in the virtual proxy's host allow list (websocketCrossOriginWhiteList).");
    }

    /// <summary>Fetch standard: a CORS-preflight request is OPTIONS with Origin and Access-Control-Request-Method.</summary>
    internal static bool IsPreflight(HttpRequest request) =>
        HttpMethods.IsOptions(request.Method)
        && request.Headers.Origin.Count > 0
        && request.Headers.AccessControlRequestMethod.Count > 0;

    private static partial class Log
    {
        [LoggerMessage(3101, LogLevel.Information, "CORS preflight on virtual proxy {VirtualProxy} refused: origin {Check}.")]
        public static partial void PreflightRefused(ILogger logger, string virtualProxy, OriginCheck check);
    }
}
