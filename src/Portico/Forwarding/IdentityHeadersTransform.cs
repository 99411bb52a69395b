using Portico.Authentication;
using Portico.Http;
using Portico.VirtualProxies;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Portico.Forwarding;

/// <summary>
/// Step 7 on every route: removes the client's identity headers and Portico's own credentials
/// (session cookie, bearer token), then adds the identity Portico decided.
/// </summary>
internal sealed class IdentityHeadersTransform : ITransformProvider
{
    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    public void Apply(TransformBuilderContext context) => context.AddRequestTransform(ApplyAsync);

    private static ValueTask ApplyAsync(RequestTransformContext transform)
    {
        var headers = transform.ProxyRequest.Headers;
        var request = PorticoRequest.Of(transform.HttpContext);
        var virtualProxy = request.VirtualProxy;
        List<string>? spoofed = null;

        // NonValidated: the names as they are, without parsing or copying any value.
        foreach (var header in headers.NonValidated)
        {
            if (IdentityHeaders.IsProtected(header.Key, virtualProxy.ProtectedRequestHeaders.AsSpan()))
            {
                (spoofed ??= []).Add(header.Key);
            }
        }

        if (spoofed is not null)
        {
            foreach (var name in spoofed)
            {
                headers.Remove(name);
            }
        }

        // The session cookie and a bearer token are credentials for Portico, not for the engine.
        var cookieName = virtualProxy.Config.SessionCookieHeaderName;
        if (headers.NonValidated.TryGetValues("Cookie", out var cookies) && IdentityHeaders.MayHoldCookie(cookies, cookieName))
        {
            var kept = IdentityHeaders.WithoutCookie(cookies, cookieName);
            headers.Remove("Cookie");
            if (kept.Length > 0)
            {
                headers.TryAddWithoutValidation("Cookie", kept);
            }
        }

        if (virtualProxy.Jwt is not null)
        {
            headers.Remove("Authorization");
        }

        // Fail closed: without a decided user nothing identifies the request, and the engine refuses it.
        if (request.Authentication?.Session is { } session)
        {
            headers.TryAddWithoutValidation(IdentityHeaders.User, session.IdentityHeaderUser);
            headers.TryAddWithoutValidation(IdentityHeaders.Security, IdentityHeaders.FormatSecurity(transform.HttpContext.Request.IsHttps));
            headers.TryAddWithoutValidation(IdentityHeaders.ProxySession, session.ProxySessionId);
        }

        return ValueTask.CompletedTask;
    }
}
