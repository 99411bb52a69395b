using Yarp.ReverseProxy.Model;

namespace Portico.Operations;

/// <summary>An engine node's health as readiness and the metrics report it.</summary>
internal enum EngineNodeHealth
{
    /// <summary>Not probed yet (just configured or just started).</summary>
    Unknown,

    Healthy,

    Unhealthy,
}

/// <summary>One engine node of one virtual proxy, with its health at the time it was read.</summary>
internal sealed record EngineNodeState(string Node, string Address, EngineNodeHealth Health)
{
    /// <summary>
    /// YARP's two verdicts in one: the active probe must have seen the node answer, and failed
    /// requests (passive checks, only with several nodes) must not have left it out. A node not yet
    /// probed is not counted as healthy: readiness waits for the first successful probe.
    /// </summary>
    public static EngineNodeHealth HealthOf(DestinationHealth active, DestinationHealth passive) => (active, passive) switch
    {
        (DestinationHealth.Unhealthy, _) or (_, DestinationHealth.Unhealthy) => EngineNodeHealth.Unhealthy,
        (DestinationHealth.Healthy, _) => EngineNodeHealth.Healthy,
        _ => EngineNodeHealth.Unknown,
    };
}

/// <summary>A virtual proxy and its engine nodes.</summary>
internal sealed record VirtualProxyEngines(string VirtualProxy, IReadOnlyList<EngineNodeState> Nodes);
