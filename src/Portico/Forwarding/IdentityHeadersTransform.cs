using Portico.Authentication;
using Portico.VirtualProxies;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Portico.Forwarding;

/// <summary>Step 7 on every route: removes the client's identity headers, then adds the proxy's own.</summary>
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
        var virtualProxy = transform.HttpContext.Features.GetRequiredFeature<VirtualProxyFeature>().VirtualProxy;
        foreach (var name in headers.Select(h => h.Key).Where(name => IdentityHeaders.IsProtected(name, virtualProxy.ProtectedRequestHeaders)).ToList())
        {
            headers.Remove(name);
        }

        // Fail closed: without a decided user nothing identifies the request, and the engine refuses it.
        if (transform.HttpContext.Features.Get<AuthenticatedUserFeature>() is { } authenticated)
        {
            headers.TryAddWithoutValidation(IdentityHeaders.User, IdentityHeaders.FormatUser(authenticated.User));
            headers.TryAddWithoutValidation(IdentityHeaders.Security, IdentityHeaders.FormatSecurity(transform.HttpContext.Request.IsHttps));
        }

        return ValueTask.CompletedTask;
    }
}
