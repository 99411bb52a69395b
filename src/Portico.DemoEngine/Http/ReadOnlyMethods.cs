using Microsoft.AspNetCore.Http;

namespace Portico.DemoEngine.Http;

/// <summary>The engine's read-only HTTP endpoints answer GET and HEAD; anything else gets 405 with Allow.</summary>
internal static class ReadOnlyMethods
{
    /// <returns>True when the request was answered with 405 and the endpoint has nothing more to do.</returns>
    public static bool Refused(HttpContext context)
    {
        if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
        {
            return false;
        }

        context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
        context.Response.Headers.Allow = "GET, HEAD";
        return true;
    }
}
