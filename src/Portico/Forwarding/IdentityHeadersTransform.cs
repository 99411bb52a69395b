using Portico.Http;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Portico.Forwarding;

/// <summary>
/// Step 7 on every route: the engine-bound headers as <see cref="EngineRequestHeaders"/> decides them
/// (client headers judged one by one, session cookies removed, Portico's forwarding headers set), then
/// the identity Portico decided and Qlik's proxy headers (docs/engines.md). Values that do not change
/// between requests come from the snapshot's <see cref="EngineBinding"/>. YARP's own X-Forwarded transforms are off: they would take
/// X-Forwarded-Host from the client's Host. (The engine's Server header is dropped with the other
/// response headers Portico sets, in ResponseHeadersMiddleware.)
/// </summary>
internal sealed class IdentityHeadersTransform(Configuration.ConfigSnapshotStore snapshots, TimeProvider time) : ITransformProvider
{
    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    public void Apply(TransformBuilderContext context)
    {
        context.UseDefaultForwarders = false;
        context.AddRequestTransform(ApplyAsync);
    }

    private ValueTask ApplyAsync(RequestTransformContext transform)
    {
        var headers = transform.ProxyRequest.Headers;
        var httpContext = transform.HttpContext;
        var request = PorticoRequest.Of(httpContext);
        var virtualProxy = request.VirtualProxy;
        List<string>? dropped = null;
        var filterCookies = false;

        // NonValidated: the names as they are, without parsing or copying any value.
        foreach (var header in headers.NonValidated)
        {
            switch (EngineRequestHeaders.Judge(header.Key, virtualProxy.EngineProtectedHeaders))
            {
                case EngineHeaderVerdict.Drop:
                    (dropped ??= []).Add(header.Key);
                    break;
                case EngineHeaderVerdict.FilterCookies:
                    filterCookies = true;
                    break;
            }
        }

        if (dropped is not null)
        {
            foreach (var name in dropped)
            {
                headers.Remove(name);
            }
        }

        if (filterCookies && headers.NonValidated.TryGetValues("Cookie", out var cookies)
            && EngineRequestHeaders.MayHoldSessionCookie(cookies, virtualProxy.SessionCookieNames))
        {
            var kept = EngineRequestHeaders.FilterCookies(cookies, virtualProxy.SessionCookieNames);
            headers.Remove("Cookie");
            if (kept.Length > 0)
            {
                headers.TryAddWithoutValidation("Cookie", kept);
            }
        }

        var snapshot = snapshots.Current;
        var forwarding = EngineRequestHeaders.Forwarding(httpContext.Connection.RemoteIpAddress, httpContext.Request.Scheme, snapshot.Config.PublicHost, httpContext.Request.PathBase.Value ?? "");
        if (forwarding.For is { } client)
        {
            headers.TryAddWithoutValidation(ForwardingHeaders.ForName, client);
        }

        headers.TryAddWithoutValidation(ForwardingHeaders.ProtoName, forwarding.Proto);
        headers.TryAddWithoutValidation(ForwardingHeaders.HostName, forwarding.Host);
        if (forwarding.Prefix is { } prefix)
        {
            headers.TryAddWithoutValidation(ForwardingHeaders.PrefixName, prefix);
        }

        // Null only while a reload removes this virtual proxy; the request then carries no proxy headers.
        var binding = snapshot.EngineBindings.GetValueOrDefault(virtualProxy.RouteId);
        if (binding is not null)
        {
            headers.TryAddWithoutValidation(IdentityHeaders.VirtualProxyPrefix, binding.PrefixHeader);
            headers.TryAddWithoutValidation(IdentityHeaders.ProxyId, binding.ProxyIdHeader);
        }

        // Fail closed: without a decided user nothing identifies the request, and the engine refuses it.
        if (request.Authentication?.Session is { } session)
        {
            var secure = httpContext.Request.IsHttps;
            headers.TryAddWithoutValidation(IdentityHeaders.User, session.IdentityHeaderUser);
            headers.TryAddWithoutValidation(IdentityHeaders.Security, binding?.SecurityFor(session.User, secure) ?? IdentityHeaders.FormatSecurity(secure, session.User.Attributes));
            headers.TryAddWithoutValidation(IdentityHeaders.ProxySession, session.ProxySessionId);

            // jwt mode without a loaded key sends no token: the engine refuses rather than trusting less.
            if (binding is { Authentication: Configuration.EngineAuthentication.Jwt, Tokens: { } tokens })
            {
                headers.TryAddWithoutValidation(IdentityHeaders.Authorization, tokens.AuthorizationFor(session.User, time.GetUtcNow()));
            }
        }

        return ValueTask.CompletedTask;
    }
}
