using Portico.Authentication;
using Portico.Configuration;
using Portico.Http;
using Portico.HttpsRedirection;
using Portico.Listeners;
using Portico.Sessions;
using Portico.VirtualProxies;

namespace Portico.QpsApi;

/// <summary>
/// Portico's own endpoints under <c>/{prefix}/qps/</c>, which browsers call: <c>GET user</c> (who am I,
/// in Qlik's shapes) and <c>DELETE user</c> (logout). Nothing under /qps/ is ever forwarded to an engine.
/// </summary>
internal sealed class BrowserEndpointsMiddleware(RequestDelegate next, SessionManager sessions, ConfigSnapshotStore snapshots, BoundListeners listeners)
{
    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        if (!path.StartsWith("/qps/", StringComparison.OrdinalIgnoreCase) && !path.Equals("/qps", StringComparison.OrdinalIgnoreCase))
        {
            return next(context);
        }

        var virtualProxy = context.Features.GetRequiredFeature<VirtualProxyFeature>().VirtualProxy;
        var outcome = context.Features.GetRequiredFeature<AuthenticationFeature>().Outcome;
        return (path.TrimEnd('/').ToUpperInvariant(), context.Request.Method) switch
        {
            ("/QPS/USER", "GET") => GetUserAsync(context, virtualProxy, outcome),
            ("/QPS/USER", "DELETE") => LogoutAsync(context, virtualProxy, outcome),
            _ => PorticoResponse.WriteErrorAsync(context, StatusCodes.Status404NotFound, "not_found", "No Portico endpoint at this path."),
        };
    }

    private Task GetUserAsync(HttpContext context, VirtualProxy virtualProxy, AuthenticationOutcome outcome)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (outcome.Session is not { } session)
        {
            var login = virtualProxy.Config.AuthenticationModuleRedirectUri;
            return context.Response.WriteAsJsonAsync(new { session = "inactive", loginUri = login });
        }

        var user = session.User;
        return context.Response.WriteAsJsonAsync(new
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
