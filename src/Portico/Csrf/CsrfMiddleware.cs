using Portico.Audit;
using Portico.Authentication;
using Portico.Cors;
using Portico.Http;
using Portico.Operations;
using Portico.VirtualProxies;

namespace Portico.Csrf;

/// <summary>
/// Step 6: WebSocket upgrades and unsafe methods on an ambient credential must prove they come from
/// a page that could read the session's token; a WebSocket's Origin must be allowed. The token is
/// removed from the URL before anything is forwarded.
/// </summary>
internal sealed partial class CsrfMiddleware(RequestDelegate next, CsrfTokens tokens, PorticoMetrics metrics, AuditLog audit, ILogger<CsrfMiddleware> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var state = PorticoRequest.Of(context);
        var presented = CsrfTokenLocation.Extract(state.PathCsrfToken, request.QueryString, request.Headers);
        if (presented.AnyPresented)
        {
            request.QueryString = presented.QueryWithoutToken;
            request.Headers.Remove(CsrfTokenLocation.Name);
        }

        var outcome = state.AuthenticationOutcome;
        var origin = state.OriginCheck;
        var isWebSocket = WebSocketRequests.IsWebSocket(context);
        // Kept for steps that demand the token outright (the console's writes, docs/console.md).
        state.CsrfTokenMatched = outcome.Session is { } session && tokens.Matches(session.Id, presented.Token);
        var decision = CsrfPolicy.Evaluate(new CsrfRequest(
            IsWebSocket: isWebSocket,
            Method: request.Method,
            Credential: outcome.Method,
            TokenPresented: presented.AnyPresented,
            TokenMatches: state.CsrfTokenMatched,
            Origin: origin,
            SecFetchSite: request.Headers["Sec-Fetch-Site"] is { Count: > 0 } secFetchSite ? secFetchSite[0] : null,
            XrfKeyPaired: !isWebSocket && request.Headers.ContainsKey(QpsApi.XrfKey.HeaderName) && QpsApi.XrfKey.Check(request).IsValid));
        if (decision.Allowed)
        {
            return next(context);
        }

        var virtualProxy = state.VirtualProxy;
        Log.Refused(logger, virtualProxy.DisplayName, isWebSocket ? "WebSocket upgrade" : request.Method + " request", decision.Reason, decision.Code);
        metrics.Refused(virtualProxy.DisplayName, RefusalReason.Csrf);
        audit.Refused(AuditEvents.CsrfRefused(context, virtualProxy.Prefix, decision, outcome.Session));
        return PorticoResponse.WriteErrorAsync(context, StatusCodes.Status403Forbidden, "csrf", $"Request refused: {decision.Reason}.", decision.Code);
    }

    private static partial class Log
    {
        [LoggerMessage(6101, LogLevel.Warning, "CSRF check on virtual proxy {VirtualProxy} refused a {Request}: {Reason} ({Code}).")]
        public static partial void Refused(ILogger logger, string virtualProxy, string request, string reason, string? code);
    }
}
