using System.Net.WebSockets;
using Portico.Configuration;
using Portico.HttpsRedirection;
using Portico.Http;
using Portico.Limits;
using Portico.Listeners;
using Portico.Operations;
using Portico.Tickets;
using Portico.VirtualProxies;
using Portico.WebSockets;

namespace Portico.Authentication;

/// <summary>
/// Refuses what authentication did not admit. Pages go to the configured login module (Qlik's
/// authentication module redirect) or get 401; a WebSocket gets Qlik's behaviour, an accepted
/// socket that says <c>OnAuthenticationInformation {mustAuthenticate: true}</c> and closes, so an
/// enigma.js client sees why instead of a bare failed upgrade. Nothing reaches the engine.
/// </summary>
internal sealed partial class ChallengeMiddleware(RequestDelegate next, Saml.SamlLogin samlLogin, TargetStore targets, ClientLimits clientLimits, BoundListeners listeners, ConfigSnapshotStore snapshots, PorticoMetrics metrics, ILogger<ChallengeMiddleware> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        var outcome = PorticoRequest.Of(context).AuthenticationOutcome;
        return outcome.IsAuthenticated ? next(context) : ChallengeAsync(context, outcome);
    }

    private async Task ChallengeAsync(HttpContext context, AuthenticationOutcome outcome)
    {
        var virtualProxy = PorticoRequest.Of(context).VirtualProxy;
        var reason = outcome.RejectionReason ?? "no credential";
        Log.Challenged(logger, virtualProxy.DisplayName, reason);
        metrics.Refused(virtualProxy.DisplayName, RefusalReason.Authentication);

        if (WebSocketRequests.IsWebSocket(context))
        {
            await PorticoSocketAnswer.NotifyAndCloseAsync(context, QpsNotifications.MustAuthenticate(LoginUri(virtualProxy, targetId: null)), WebSocketCloseStatus.PolicyViolation, "Authentication required");
            return;
        }

        // A SAML virtual proxy sends pages to its identity provider (SP-initiated login).
        if (virtualProxy.Saml is { } sp && AuthenticationMiddleware.IsPageRequest(context.Request) && outcome.RejectionReason is null)
        {
            await samlLogin.ChallengeAsync(context, virtualProxy, sp, await StoreTargetAsync(context));
            return;
        }

        // OIDC: a page goes to the provider through Portico's own login endpoint, with where it was going.
        if (virtualProxy.Config.AuthenticationMethod == AuthenticationMethod.Oidc && AuthenticationMiddleware.IsPageRequest(context.Request) && outcome.RejectionReason is null)
        {
            context.Response.StatusCode = StatusCodes.Status302Found;
            context.Response.Headers.Location = OidcLoginUri(virtualProxy, await StoreTargetAsync(context));
            context.Response.Headers.CacheControl = "no-store";
            return;
        }

        // Only a page that is sent to the login module gets a stored target to come back to.
        if (virtualProxy.Config.AuthenticationModuleRedirectUri is not null && AuthenticationMiddleware.IsPageRequest(context.Request) && outcome.RejectionReason is null)
        {
            context.Response.StatusCode = StatusCodes.Status302Found;
            context.Response.Headers.Location = LoginUri(virtualProxy, await StoreTargetAsync(context));
            context.Response.Headers.CacheControl = "no-store";
            return;
        }

        var loginUri = LoginUri(virtualProxy, targetId: null);

        if (virtualProxy.Jwt is not null)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }

        await PorticoResponse.WriteErrorAsync(context, StatusCodes.Status401Unauthorized, "unauthenticated",
            $"Virtual proxy '{virtualProxy.DisplayName}' requires authentication ({virtualProxy.Config.AuthenticationMethod}): {reason}." + (loginUri is null ? "" : $" Log in at {loginUri}"));
    }

    private string? LoginUri(VirtualProxy virtualProxy, string? targetId) =>
        virtualProxy.Config.AuthenticationModuleRedirectUri is { } module
            ? LoginRedirect.Build(module, snapshots.Current.Config.PublicHost, listeners.QpsApiPort, virtualProxy.Prefix, targetId)
            : virtualProxy.Config.AuthenticationMethod == AuthenticationMethod.Oidc ? OidcLoginUri(virtualProxy, targetId) : null;

    private string OidcLoginUri(VirtualProxy virtualProxy, string? targetId) =>
        HttpsRedirectTarget.Build(snapshots.Current.Config.PublicHost, listeners.HttpsPort, new PathString(virtualProxy.PathBase + Oidc.OidcEndpointsMiddleware.LoginPath),
            targetId is null ? QueryString.Empty : QueryString.Create("targetId", targetId));

    /// <summary>
    /// Keeps where the page was going, within the client's budget (clientLimits.loginTargetsPerMinute)
    /// and the store's bounds; null when either says no, and the user lands on the hub after login.
    /// </summary>
    private async ValueTask<string?> StoreTargetAsync(HttpContext context)
    {
        var target = HttpsRedirectTarget.Build(snapshots.Current.Config.PublicHost, listeners.HttpsPort, context.Request.PathBase + context.Request.Path, context.Request.QueryString);
        // The store refuses an over-long target too; asking first spares the client's budget for one it would not keep.
        if (target.Length > TargetStore.MaxTargetLength || !clientLimits.TryStoreLoginTarget(context.Connection.RemoteIpAddress))
        {
            return null;
        }

        return await targets.RegisterAsync(new Uri(target), context.RequestAborted);
    }

    private static partial class Log
    {
        [LoggerMessage(5002, LogLevel.Information, "Unauthenticated request to virtual proxy {VirtualProxy} refused: {Reason}.")]
        public static partial void Challenged(ILogger logger, string virtualProxy, string reason);
    }
}
