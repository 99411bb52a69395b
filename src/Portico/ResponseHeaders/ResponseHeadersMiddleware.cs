using Portico.Configuration;
using Portico.VirtualProxies;

namespace Portico.ResponseHeaders;

/// <summary>
/// Adds HSTS and the virtual proxy's additional headers to every HTTPS response, Portico's own
/// error answers included. Registered first so that even a request refused later gets them; the
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
                var headers = ctx.Features.Get<VirtualProxyFeature>()?.VirtualProxy.ResponseHeaders ?? fallbackHeaders;
                headers.ApplyTo(ctx.Response.Headers);
                return Task.CompletedTask;
            }, (context, fallback));
        }

        return next(context);
    }
}
