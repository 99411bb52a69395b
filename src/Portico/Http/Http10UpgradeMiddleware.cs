namespace Portico.Http;

/// <summary>
/// Refuses an HTTP/1.0 request that asks for an upgrade (<see cref="WebSocketRequests.IsHttp10Upgrade"/>)
/// before anything could upgrade or forward it: a WebSocket needs HTTP/1.1 (or extended CONNECT).
/// </summary>
internal sealed partial class Http10UpgradeMiddleware(RequestDelegate next, ILogger<Http10UpgradeMiddleware> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (!WebSocketRequests.IsHttp10Upgrade(context))
        {
            return next(context);
        }

        Log.Refused(logger, PorticoRequest.Find(context)?.VirtualProxy.DisplayName ?? "(unknown)");
        return PorticoResponse.WriteErrorAsync(context, StatusCodes.Status400BadRequest, "upgrade_needs_http11",
            "Request refused: HTTP/1.0 cannot upgrade a connection. Open WebSockets over HTTP/1.1.");
    }

    private static partial class Log
    {
        [LoggerMessage(1101, LogLevel.Information, "Upgrade on virtual proxy {VirtualProxy} refused: the request is HTTP/1.0.")]
        public static partial void Refused(ILogger logger, string virtualProxy);
    }
}
