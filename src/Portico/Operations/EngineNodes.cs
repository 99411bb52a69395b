using Portico.Configuration;
using Yarp.ReverseProxy;

namespace Portico.Operations;

/// <summary>
/// Reads the health YARP keeps for every engine node (each virtual proxy is one cluster, its
/// route id the cluster id; see Forwarding/ForwardingConfigBuilder.cs). Read on demand, for
/// /readyz and a metrics scrape, never on the request path.
/// </summary>
internal sealed class EngineNodes(IProxyStateLookup proxyState, ConfigSnapshotStore snapshots)
{
    public IReadOnlyList<VirtualProxyEngines> Read()
    {
        var virtualProxies = snapshots.Current.VirtualProxies.All;
        var result = new List<VirtualProxyEngines>(virtualProxies.Count);
        foreach (var virtualProxy in virtualProxies)
        {
            var nodes = new List<EngineNodeState>();
            if (proxyState.TryGetCluster(virtualProxy.RouteId, out var cluster))
            {
                foreach (var destination in cluster.Destinations.Values.OrderBy(d => d.DestinationId, StringComparer.Ordinal))
                {
                    nodes.Add(new EngineNodeState(destination.DestinationId, destination.Model.Config.Address, EngineNodeState.HealthOf(destination.Health.Active, destination.Health.Passive)));
                }
            }

            result.Add(new VirtualProxyEngines(virtualProxy.DisplayName, nodes));
        }

        return result;
    }
}
