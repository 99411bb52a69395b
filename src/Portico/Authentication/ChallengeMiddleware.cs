using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Portico.Configuration;
using Portico.HttpsRedirection;
using Portico.Http;
using Portico.Listeners;
using Portico.Tickets;
using Portico.VirtualProxies;

namespace Portico.Authentication;

/// <summary>
/// Refuses what authentication did not admit. Pages go to the configured login module (Qlik's
/// authentication module redirect) or get 401; a WebSocket gets Qlik's behaviour, an accepted
/// socket that says <c>OnAuthenticationInformation {mustAuthenticate: true}</c> and closes, so an
/// enigma.js client sees why instead of a bare failed upgrade. Nothing reaches the engine.
/// </summary>
internal sealed partial class ChallengeMiddleware(RequestDelegate next, TargetStore targets, BoundListeners listeners, ConfigSnapshotStore snapshots, ILogger<ChallengeMiddleware> logger)
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
        var loginUri = LoginUriFor(context, virtualProxy);
        Log.Challenged(logger, virtualProxy.DisplayName, reason);

        if (WebSocketRequests.IsWebSocket(context))
        {
            await NotifySocketAsync(context, loginUri);
            return;
        }

        if (loginUri is not null && AuthenticationMiddleware.IsPageRequest(context.Request) && outcome.RejectionReason is null)
        {
            context.Response.StatusCode = StatusCodes.Status302Found;
            context.Response.Headers.Location = loginUri;
            context.Response.Headers.CacheControl = "no-store";
            return;
        }

        if (virtualProxy.Jwt is not null)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }

        await PorticoResponse.WriteErrorAsync(context, StatusCodes.Status401Unauthorized, "unauthenticated",
            $"Virtual proxy '{virtualProxy.DisplayName}' requires authentication ({virtualProxy.Config.AuthenticationMethod}): {reason}." + (loginUri is null ? "" : $" Log in at {loginUri}"));
    }

    private string? LoginUriFor(HttpContext context, VirtualProxy virtualProxy)
    {
        if (virtualProxy.Config.AuthenticationModuleRedirectUri is not { } module)
        {
            return null;
        }

        var publicHost = snapshots.Current.Config.PublicHost;
        var target = HttpsRedirectTarget.Build(publicHost, listeners.HttpsPort, context.Request.PathBase + context.Request.Path, context.Request.QueryString);
        var targetId = targets.Register(new Uri(target));
        return LoginRedirect.Build(module, publicHost, listeners.QpsApiPort, virtualProxy.Prefix, targetId);
    }

    private static async Task NotifySocketAsync(HttpContext context, string? loginUri)
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var notification = JsonSerializer.Serialize(new
        {
            jsonrpc = "2.0",
            method = "OnAuthenticationInformation",
            @params = new { mustAuthenticate = true, loginUri },
        });
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(notification), WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
            await socket.CloseAsync(WebSocketCloseStatus.PolicyViolation, "Authentication required", timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The client went away first; there is nobody left to tell.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(5002, LogLevel.Information, "Unauthenticated request to virtual proxy {VirtualProxy} refused: {Reason}.")]
        public static partial void Challenged(ILogger logger, string virtualProxy, string reason);
    }
}
