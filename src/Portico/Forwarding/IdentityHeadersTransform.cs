using Portico.Http;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Portico.Forwarding;

/// <summary>
/// Step 7 on every route: the engine-bound headers as <see cref="EngineRequestHeaders"/> decides them
/// (client headers judged one by one, session cookies removed, Portico's forwarding headers set), then
/// the identity Portico decided. YARP's own X-Forwarded transforms are off: they would take
/// X-Forwarded-Host from the client's Host. (The engine's Server header is dropped with the other
/// response headers Portico sets, in ResponseHeadersMiddleware.)
/// </summary>
internal sealed class IdentityHeadersTransform(Configuration.ConfigSnapshotStore snapshots) : ITransformProvider
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

        var forwarding = EngineRequestHeaders.Forwarding(httpContext.Connection.RemoteIpAddress, httpContext.Request.Scheme, snapshots.Current.Config.PublicHost, httpContext.Request.PathBase.Value ?? "");
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

        // Fail closed: without a decided user nothing identifies the request, and the engine refuses it.
        if (request.Authentication?.Session is { } session)
        {
            headers.TryAddWithoutValidation(IdentityHeaders.User, session.IdentityHeaderUser);
            headers.TryAddWithoutValidation(IdentityHeaders.Security, IdentityHeaders.FormatSecurity(httpContext.Request.IsHttps));
            headers.TryAddWithoutValidation(IdentityHeaders.ProxySession, session.ProxySessionId);
        }

        return ValueTask.CompletedTask;
    }
}
