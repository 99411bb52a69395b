using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Model;

namespace Portico.Forwarding;

/// <summary>
/// Finds the forwarding endpoint of a virtual proxy's route, so the virtual proxy chosen from the
/// normalized path is the one that forwards: no second path match can disagree with the first.
/// </summary>
internal sealed class ForwardingRoutes
{
    private readonly EndpointDataSource _endpoints;
    private volatile Dictionary<string, ForwardingRoute> _byRouteId = new(StringComparer.Ordinal);

    public ForwardingRoutes(EndpointDataSource endpoints)
    {
        _endpoints = endpoints;
        ChangeToken.OnChange(() => _endpoints.GetChangeToken(), Rebuild);
        Rebuild();
    }

    public ForwardingRoute? Find(string routeId) => _byRouteId.GetValueOrDefault(routeId);

    private void Rebuild()
    {
        var byRouteId = new Dictionary<string, ForwardingRoute>(StringComparer.Ordinal);
        foreach (var endpoint in _endpoints.Endpoints)
        {
            if (endpoint.RequestDelegate is not null && endpoint.Metadata.GetMetadata<RouteModel>() is { } route)
            {
                byRouteId[route.Config.RouteId] = new ForwardingRoute(endpoint, route);
            }
        }

        _byRouteId = byRouteId;
    }
}
