using Portico.Configuration;
using Portico.Cors;
using Portico.Http;
using Portico.VirtualProxies;

namespace Portico.ResponseHeaders;

/// <summary>
/// Adds HSTS, the virtual proxy's additional headers and its CORS answer to every HTTPS response,
/// Portico's own error answers included. Registered first so that even a request refused later
/// gets them; the virtual proxy is read when the response starts, after it has been selected.
/// </summary>
internal sealed class ResponseHeadersMiddleware
{
    private readonly RequestDelegate _next;
    private readonly ConfigSnapshotStore _snapshots;

    // One delegate for every request (the HttpContext is the state), so registering costs no allocation.
    private readonly Func<object, Task> _apply;

    public ResponseHeadersMiddleware(RequestDelegate next, ConfigSnapshotStore snapshots)
    {
        _next = next;
        _snapshots = snapshots;
        _apply = Apply;
    }

    public Task InvokeAsync(HttpContext context)
    {
        // RFC 6797 7.2: HSTS must not be sent over plain HTTP; the HTTP listener never gets here anyway.
        if (context.Request.IsHttps)
        {
            context.Response.OnStarting(_apply, context);
        }

        return _next(context);
    }

    private Task Apply(object state)
    {
        var context = (HttpContext)state;
        var headers = context.Response.Headers;
        var request = PorticoRequest.Find(context);
        if (request is null)
        {
            _snapshots.Current.NoVirtualProxyHeaders.ApplyTo(headers);
            return Task.CompletedTask;
        }

        var virtualProxy = request.VirtualProxy;

        // An engine's Server header says what runs behind Portico; Kestrel adds none of its own.
        headers.Server = default;
        virtualProxy.ResponseHeaders.ApplyTo(headers);

        // Portico's own pages keep their security headers whatever the admin's say, and are not for other origins.
        if (request.OwnPageHeaders is { } own)
        {
            foreach (var (name, value) in own)
            {
                headers[name] = value;
            }

            return Task.CompletedTask;
        }

        // After the admin's headers, so the one CORS answer is Portico's own.
        CorsResponseHeaders.Apply(headers, virtualProxy.Cors, request.AllowedOrigin);
        return Task.CompletedTask;
    }
}
