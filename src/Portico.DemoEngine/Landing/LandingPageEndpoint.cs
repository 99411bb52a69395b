using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Headers;
using Portico.DemoEngine.Apps;

namespace Portico.DemoEngine.Landing;

/// <summary>
/// The engine's answer to a browser opening <c>/</c>: a page saying what runs and how to connect,
/// instead of an empty 404.
/// </summary>
/// <remarks>
/// It lives in the demo engine, not in the proxy. The proxy forwards <c>/</c> of a virtual proxy to
/// its engines like any other path, for real deployments as for the demo; a page served by the
/// proxy would take that address from every engine, and a WebSocket at <c>/</c> is an engine's
/// global context socket (nebula.js opens it). So only the demo engine, which has nothing else at
/// <c>/</c> over plain HTTP, answers a page there, and only when its host described the proxy.
/// </remarks>
internal sealed class LandingPageEndpoint(Func<LandingPageContent> content, string nodeName, AppCatalog catalog)
{
    /// <summary>A plain GET or HEAD of the root from a client that accepts HTML; never a WebSocket.</summary>
    public static bool IsLandingRequest(HttpContext context)
    {
        var request = context.Request;
        if (!(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            || (request.PathBase + request.Path).Value is not (null or "" or "/")
            || context.WebSockets.IsWebSocketRequest)
        {
            return false;
        }

        RequestHeaders headers;
        try
        {
            headers = request.GetTypedHeaders();
            return headers.Accept.Any(accept => (accept.Quality ?? 1) > 0
                && (accept.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase)
                    || accept.MediaType.Equals("text/*", StringComparison.OrdinalIgnoreCase)
                    || accept.MediaType.Equals("*/*", StringComparison.OrdinalIgnoreCase)));
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var body = Encoding.UTF8.GetBytes(LandingPageHtml.Render(content(), nodeName, catalog.Apps.Select(app => app.Id)));
        var response = context.Response;
        response.ContentType = "text/html; charset=utf-8";
        response.ContentLength = body.Length;
        response.Headers.CacheControl = "no-store";
        // Plain HTML only: nothing on the page may load or run anything.
        response.Headers.ContentSecurityPolicy = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        response.Headers.XContentTypeOptions = "nosniff";
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
    }
}
