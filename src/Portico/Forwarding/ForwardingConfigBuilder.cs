using System.Net;
using Portico.Configuration;
using Portico.VirtualProxies;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Portico.Forwarding;

/// <summary>
/// Translates a configuration snapshot into YARP routes and clusters: one of each per virtual proxy,
/// with the virtual proxy's engine nodes as destinations.
/// </summary>
internal static class ForwardingConfigBuilder
{
    public static (IReadOnlyList<RouteConfig> Routes, IReadOnlyList<ClusterConfig> Clusters) Build(ConfigSnapshot snapshot)
    {
        var routes = new List<RouteConfig>();
        var clusters = new List<ClusterConfig>();
        foreach (var vp in snapshot.VirtualProxies.All)
        {
            routes.Add(new RouteConfig
            {
                RouteId = vp.RouteId,
                ClusterId = vp.RouteId,
                // The virtual proxy middleware selects this route's endpoint itself, from the one
                // normalized path; route matching never runs. The pattern only has to be unique.
                Match = new RouteMatch { Path = "/.portico-route/" + vp.RouteId + "/{**remainder}" },
            });
            clusters.Add(BuildCluster(vp, snapshot.Config.LoadBalancing, snapshot.EngineBindings[vp.RouteId].Tls));
        }

        return (routes, clusters);
    }

    private static ClusterConfig BuildCluster(VirtualProxy vp, LoadBalancingConfig lb, EngineTls tls)
    {
        var destinations = new Dictionary<string, DestinationConfig>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < vp.Config.LoadBalancingServerNodes.Count; i++)
        {
            destinations["node-" + (i + 1)] = new DestinationConfig { Address = vp.Config.LoadBalancingServerNodes[i] };
        }

        // Stickiness and failure-rate tracking choose between nodes; with one node there is nothing to
        // choose, so a request skips both (and a burst of failures cannot shut the only node out for
        // a reactivation period: the active probes alone decide whether it is up).
        var hasChoice = destinations.Count > 1;
        return new ClusterConfig
        {
            ClusterId = vp.RouteId,
            Destinations = destinations,
            // Names the TLS material the cluster's connections use (EngineHttpClientFactory): when it
            // changes, the forwarder gets a new connection pool instead of reusing the old one's.
            Metadata = new Dictionary<string, string> { [EngineHttpClientFactory.TlsMetadataKey] = tls.Fingerprint },
            // WebSockets are long-lived, so the node with the fewest open requests is the least loaded.
            LoadBalancingPolicy = "LeastRequests",
            SessionAffinity = !hasChoice ? null : new SessionAffinityConfig
            {
                Enabled = true,
                Policy = SessionAffinityPolicy.PolicyName,
                // A session whose node died moves to a healthy one instead of failing.
                FailurePolicy = "Redistribute",
                // Required by YARP's validation; the policy keeps the node in the session, not in a cookie.
                AffinityKeyName = "portico-session",
            },
            HealthCheck = new HealthCheckConfig
            {
                Active = new ActiveHealthCheckConfig
                {
                    Enabled = true,
                    Interval = TimeSpan.FromSeconds(lb.HealthCheckIntervalSeconds),
                    Timeout = TimeSpan.FromSeconds(lb.HealthCheckTimeoutSeconds),
                    Policy = EngineHealthPolicy.PolicyName,
                    Path = "/healthcheck",
                },
                Passive = !hasChoice ? null : new PassiveHealthCheckConfig
                {
                    Enabled = true,
                    Policy = "TransportFailureRate",
                    ReactivationPeriod = TimeSpan.FromSeconds(lb.ReactivationPeriodSeconds),
                },
            },
            HttpRequest = new ForwarderRequestConfig
            {
                // Engines speak HTTP/1.1 (WebSocket upgrades included); asking for more only costs a negotiation.
                Version = HttpVersion.Version11,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
                // How long an engine connection may be quiet: a WebSocket lives as long as its session
                // (the keep-alive pings' pongs count as traffic), not a fixed proxy timeout.
                ActivityTimeout = vp.EngineIdleTimeout,
            },
        };
    }
}
