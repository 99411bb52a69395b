using Yarp.ReverseProxy.Model;

namespace Portico.Forwarding;

/// <summary>A virtual proxy's YARP route: the endpoint whose proxy pipeline chooses among engine nodes, and its model.</summary>
internal sealed record ForwardingRoute(Endpoint Endpoint, RouteModel Model)
{
    /// <summary>
    /// The engine node to forward to without YARP's proxy pipeline: the cluster's only node, as long
    /// as YARP's health policy offers it (its default, HealthyOrPanic, offers it even when the
    /// health checks find it down: with nothing else to try, it is tried). Null when there is a
    /// choice to make (several nodes: load balancing and affinity decide) or none offered (the
    /// pipeline answers that no node is available).
    /// </summary>
    public DestinationState? SoleDestination =>
        Model.Cluster?.DestinationsState is { } state ? SoleAvailable(state.AllDestinations, state.AvailableDestinations) : null;

    public static DestinationState? SoleAvailable(IReadOnlyList<DestinationState> all, IReadOnlyList<DestinationState> available) =>
        all.Count == 1 && available.Count == 1 && ReferenceEquals(all[0], available[0]) ? available[0] : null;
}
