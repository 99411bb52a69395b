using Portico.Http;
using Portico.VirtualProxies;

namespace Portico.Forwarding;

/// <summary>Step 8: hands the request to the YARP route of its virtual proxy.</summary>
internal sealed partial class ForwardingMiddleware(RequestDelegate next, ForwardingRoutes routes, ILogger<ForwardingMiddleware> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        var virtualProxy = context.Features.GetRequiredFeature<VirtualProxyFeature>().VirtualProxy;
        var endpoint = routes.Find(virtualProxy.RouteId);
        if (endpoint is null)
        {
            // Only while a reload that adds this virtual proxy is being applied.
            Log.RouteMissing(logger, virtualProxy.DisplayName);
            return PorticoResponse.WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "engine_unavailable",
                $"Virtual proxy '{virtualProxy.DisplayName}' is being reconfigured; try again in a moment.");
        }

        // Endpoint routing skips matching when an endpoint is already set.
        context.SetEndpoint(endpoint);
        return next(context);
    }

    private static partial class Log
    {
        [LoggerMessage(8001, LogLevel.Warning, "No forwarding route for virtual proxy {VirtualProxy} yet.")]
        public static partial void RouteMissing(ILogger logger, string virtualProxy);
    }
}
