using Portico.Configuration;
using Portico.Http;
using Portico.Listeners;

namespace Portico.HttpsRedirection;

/// <summary>
/// Everything that arrives on the plain-HTTP listener: page requests are redirected to HTTPS on the
/// configured host (301 for GET/HEAD, 308 otherwise so the method and body survive), and WebSocket
/// upgrades are refused: a redirect cannot move a socket, and the client should use wss:// itself.
/// </summary>
internal sealed partial class HttpListenerHandler(ConfigSnapshotStore snapshots, BoundListeners listeners, ILogger<HttpListenerHandler> logger)
{
    public Task HandleAsync(HttpContext context)
    {
        var publicHost = snapshots.Current.Config.PublicHost;
        var target = HttpsRedirectTarget.Build(publicHost, listeners.HttpsPort, context.Request.Path, context.Request.QueryString);
        if (IsWebSocketUpgrade(context.Request))
        {
            Log.UpgradeRefused(logger);
            return PorticoResponse.WriteErrorAsync(context, StatusCodes.Status400BadRequest, "use_wss",
                $"WebSockets are not served over plain HTTP. Connect with wss://{target["https://".Length..]}");
        }

        var isSafe = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method);
        context.Response.StatusCode = isSafe ? StatusCodes.Status301MovedPermanently : StatusCodes.Status308PermanentRedirect;
        context.Response.Headers.Location = target;
        context.Response.Headers.CacheControl = "no-store";
        return Task.CompletedTask;
    }

    internal static bool IsWebSocketUpgrade(HttpRequest request) =>
        request.Headers.Upgrade.Any(v => v is not null && v.Contains("websocket", StringComparison.OrdinalIgnoreCase));

    private static partial class Log
    {
        [LoggerMessage(3001, LogLevel.Information, "WebSocket upgrade on the plain-HTTP listener refused.")]
        public static partial void UpgradeRefused(ILogger logger);
    }
}
