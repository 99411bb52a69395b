using Portico.Configuration;
using Portico.Cors;
using Portico.VirtualProxies;

namespace Portico.ResponseHeaders;

/// <summary>
/// Adds HSTS, the virtual proxy's additional headers and its CORS answer to every HTTPS response,
/// Portico's own error answers included. Registered first so that even a request refused later gets them; the
/// virtual proxy is read when the response starts, after it has been selected.
/// </summary>
internal sealed class ResponseHeadersMiddleware(RequestDelegate next, ConfigSnapshotStore snapshots)
{
    public Task InvokeAsync(HttpContext context)
    {
        // RFC 6797 7.2: HSTS must not be sent over plain HTTP; the HTTP listener never gets here anyway.
        if (context.Request.IsHttps)
        {
            var fallback = snapshots.Current.NoVirtualProxyHeaders;
            context.Response.OnStarting(static state =>
            {
                var (ctx, fallbackHeaders) = ((HttpContext, ResponseHeaderSet))state;
                var virtualProxy = ctx.Features.Get<VirtualProxyFeature>()?.VirtualProxy;
                (virtualProxy?.ResponseHeaders ?? fallbackHeaders).ApplyTo(ctx.Response.Headers);
                if (virtualProxy is not null)
                {
                    // After the admin's headers, so the one CORS answer is Portico's own.
                    CorsResponseHeaders.Apply(ctx.Response.Headers, virtualProxy.Cors, ctx.Features.Get<CorsFeature>());
                }
                return Task.CompletedTask;
            }, (context, fallback));
        }

        return next(context);
    }
}
