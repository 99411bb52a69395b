using Portico.Authentication;
using Portico.Configuration;
using Portico.Csrf;
using Portico.Http;
using Portico.HttpsRedirection;
using Portico.Listeners;
using Portico.Sessions;
using Portico.VirtualProxies;

namespace Portico.QpsApi;

/// <summary>
/// Portico's own endpoints under <c>/{prefix}/qps/</c>, which browsers call: <c>GET user</c> (who am I,
/// in Qlik's shapes), <c>DELETE user</c> (logout) and <c>GET csrftoken</c>. Nothing under /qps/ is ever forwarded to an engine.
/// </summary>
internal sealed class BrowserEndpointsMiddleware(RequestDelegate next, SessionManager sessions, LoginSessions logins, CsrfTokens csrfTokens, ConfigSnapshotStore snapshots, BoundListeners listeners)
{
    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        if (!path.StartsWith("/qps/", StringComparison.OrdinalIgnoreCase) && !path.Equals("/qps", StringComparison.OrdinalIgnoreCase))
        {
            return next(context);
        }

        var request = PorticoRequest.Of(context);
        var virtualProxy = request.VirtualProxy;
        var outcome = request.AuthenticationOutcome;
        return (path.TrimEnd('/').ToUpperInvariant(), context.Request.Method) switch
        {
            ("/QPS/USER", "GET") => GetUserAsync(context, virtualProxy, outcome),
            ("/QPS/USER", "DELETE") => LogoutAsync(context, virtualProxy, outcome),
            ("/QPS/CSRFTOKEN", "GET") => CsrfTokenAsync(context, virtualProxy, outcome),
            _ => PorticoResponse.WriteErrorAsync(context, StatusCodes.Status404NotFound, "not_found", "No Portico endpoint at this path."),
        };
    }

    /// <summary>
    /// Qlik's token endpoint: 204 with the session's token in the qlik-csrf-token header. Reading that
    /// header cross-origin needs CORS (an allowed origin with Access-Control-Expose-Headers), which
    /// is what keeps other sites from it.
    /// </summary>
    private async Task CsrfTokenAsync(HttpContext context, VirtualProxy virtualProxy, AuthenticationOutcome outcome)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (!outcome.IsAuthenticated)
        {
            await PorticoResponse.WriteErrorAsync(context, StatusCodes.Status401Unauthorized, "unauthenticated",
                $"Log in to virtual proxy '{virtualProxy.DisplayName}' before asking for a CSRF token ({outcome.RejectionReason ?? "no credential"}).");
            return;
        }

        // The token is bound to a session, so a pending login gets its session here.
        if (await logins.EnsureAsync(context) is not { } session)
        {
            return;
        }

        context.Response.Headers[CsrfTokenLocation.Name] = csrfTokens.For(session.Id);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private async Task GetUserAsync(HttpContext context, VirtualProxy virtualProxy, AuthenticationOutcome outcome)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (!outcome.IsAuthenticated)
        {
            var login = virtualProxy.Config.AuthenticationModuleRedirectUri;
            await context.Response.WriteAsJsonAsync(new { session = "inactive", loginUri = login });
            return;
        }

        if (await logins.EnsureAsync(context) is not { } session)
        {
            return;
        }

        var user = session.User;
        await context.Response.WriteAsJsonAsync(new
        {
            userDirectory = user.UserDirectory,
            userId = user.UserId,
            userName = user.UserId,
            anonymous = user.IsAnonymous,
            logoutUri = PublicUrl(virtualProxy, "/qps/user"),
        });
    }

    private async Task LogoutAsync(HttpContext context, VirtualProxy virtualProxy, AuthenticationOutcome outcome)
    {
        if (outcome.Session is { } session)
        {
            await sessions.EndAsync(session.Id, SessionEndReason.Logout, context.RequestAborted);
        }

        // A login in this same request (per-request credential) queued a cookie: logout replaces it.
        context.Response.Headers.Remove("Set-Cookie");
        context.Response.Headers.Append("Set-Cookie", SessionCookie.Clear(virtualProxy.Config, context.Request.IsHttps));
        context.Response.Headers.CacheControl = "no-store";
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private string PublicUrl(VirtualProxy virtualProxy, string path) =>
        HttpsRedirectTarget.Build(snapshots.Current.Config.PublicHost, listeners.HttpsPort, new PathString(virtualProxy.PathBase + path), QueryString.Empty);
}
