using Microsoft.AspNetCore.Http.Features;
using Portico.Configuration;
using Portico.Csrf;
using Portico.Http;

namespace Portico.VirtualProxies;

/// <summary>
/// Step 1: normalizes the path once and selects the virtual proxy. From here on the request's
/// PathBase is the prefix and Path is what the engine will see.
/// </summary>
internal sealed partial class VirtualProxyMiddleware(RequestDelegate next, ConfigSnapshotStore snapshots, ILogger<VirtualProxyMiddleware> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        var method = context.Request.Method;
        if (RefusedMethods.IsRefused(method, HttpMethods.IsConnect(method) && context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true }))
        {
            Log.MethodRefused(logger, context.Request.Method);
            context.Response.Headers.Allow = RefusedMethods.Allowed;
            return PorticoResponse.WriteErrorAsync(context, StatusCodes.Status405MethodNotAllowed, "method_not_allowed",
                $"Request refused: {context.Request.Method} is not forwarded to engines.");
        }

        // A WebSocket needs HTTP/1.1 (or extended CONNECT): an HTTP/1.0 request asking for an upgrade
        // is refused before anything could upgrade or forward it.
        if (WebSocketRequests.IsHttp10Upgrade(context))
        {
            Log.Http10UpgradeRefused(logger);
            return PorticoResponse.WriteErrorAsync(context, StatusCodes.Status400BadRequest, "upgrade_needs_http11",
                "Request refused: HTTP/1.0 cannot upgrade a connection. Open WebSockets over HTTP/1.1.");
        }

        // The enigma.js path form of the CSRF token comes out before the path is judged at all.
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        var marker = CsrfPathMarker.Extract(RawPathOf(rawTarget, context.Request));
        var normalization = marker.Error is null ? RequestPathNormalizer.Normalize(marker.Path) : PathNormalization.Rejected(marker.Error);
        if (normalization.IsValid && CsrfPathMarker.Remains(normalization.Path!))
        {
            normalization = PathNormalization.Rejected("the path carries an encoded qlik-csrf-token marker");
        }

        if (!normalization.IsValid)
        {
            Log.PathRejected(logger, normalization.RejectionReason!);
            return PorticoResponse.WriteErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_path", $"Request refused: {normalization.RejectionReason}.");
        }

        var selection = snapshots.Current.VirtualProxies.Select(normalization.Path!);
        if (selection is not { } selected)
        {
            Log.NoVirtualProxy(logger);
            return PorticoResponse.WriteErrorAsync(context, StatusCodes.Status404NotFound, "no_virtual_proxy", "No virtual proxy serves this path.");
        }

        context.Features.Set(new PorticoRequest(selected.VirtualProxy) { PathCsrfToken = marker.Token });
        context.Request.PathBase = selected.VirtualProxy.PathBase;
        context.Request.Path = selected.RemainingPath;
        return next(context);
    }

    /// <summary>The path part of the raw request target, still percent-encoded, so encoded separators can be seen.</summary>
    private static string RawPathOf(string? rawTarget, HttpRequest request)
    {
        if (string.IsNullOrEmpty(rawTarget))
        {
            return (request.PathBase + request.Path).ToUriComponent();
        }

        var query = rawTarget.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? rawTarget : rawTarget[..query];
    }

    private static partial class Log
    {
        [LoggerMessage(1001, LogLevel.Information, "Request refused: {Reason}.")]
        public static partial void PathRejected(ILogger logger, string reason);

        [LoggerMessage(1101, LogLevel.Information, "Upgrade refused: the request is HTTP/1.0.")]
        public static partial void Http10UpgradeRefused(ILogger logger);

        [LoggerMessage(1003, LogLevel.Information, "Request refused: method {Method} is not forwarded.")]
        public static partial void MethodRefused(ILogger logger, string method);

        [LoggerMessage(1002, LogLevel.Debug, "No virtual proxy serves the request path.")]
        public static partial void NoVirtualProxy(ILogger logger);
    }
}
