namespace Portico.Operations;

/// <summary>What readiness is judged from, read at one moment.</summary>
/// <param name="DatabaseReachable">Cluster mode only (null otherwise): whether the cluster database answers.</param>
/// <param name="ConfigurationProblem">Cluster mode only: why this node does not run the cluster's latest configuration (null when it does).</param>
internal sealed record ReadinessInput(long ConfigurationVersion, bool ListenersBound, bool Draining, IReadOnlyList<VirtualProxyEngines> VirtualProxies, bool? DatabaseReachable = null, string? ConfigurationProblem = null);

/// <summary>
/// Decides whether this node should receive traffic (GET /readyz): every check is evaluated and
/// reported, not only the first that fails, so one answer tells an admin everything that is wrong.
/// A virtual proxy with no healthy engine node makes the whole node not ready: a load balancer in
/// front of several Portico nodes then prefers one that can serve every virtual proxy.
/// </summary>
internal static class ReadinessCheck
{
    public const string Configuration = "configuration";
    public const string Listeners = "listeners";
    public const string Draining = "draining";
    public const string EnginesPrefix = "engines:";
    public const string Database = "database";

    public static ReadinessReport Evaluate(ReadinessInput input)
    {
        var checks = new List<ReadinessCheckResult>
        {
            // Portico never runs without a valid configuration; the version shows reloads were applied.
            // A cluster node that could not apply the cluster's latest one serves an outdated one.
            new(Configuration, input.ConfigurationProblem is null, input.ConfigurationProblem ?? $"version {input.ConfigurationVersion} is active"),
            new(Listeners, input.ListenersBound, input.ListenersBound ? "every listener is bound" : "the listeners are not bound yet"),
            new(Draining, !input.Draining, input.Draining ? "this node is draining: it is shutting down or was taken out of service" : "accepting new traffic"),
        };

        if (input.DatabaseReachable is { } reachable)
        {
            checks.Add(new ReadinessCheckResult(Database, reachable, reachable
                ? "the cluster database answers"
                : "the cluster database cannot be reached: logins and logouts get 503; held sessions are served for cluster.databaseGraceSeconds"));
        }

        foreach (var virtualProxy in input.VirtualProxies)
        {
            var healthy = virtualProxy.Nodes.Count(n => n.Health == EngineNodeHealth.Healthy);
            var detail = virtualProxy.Nodes.Count == 0
                ? "no engine node is configured for forwarding yet"
                : $"{healthy} of {virtualProxy.Nodes.Count} engine nodes healthy";
            checks.Add(new ReadinessCheckResult(EnginesPrefix + virtualProxy.VirtualProxy, healthy > 0, detail)
            {
                VirtualProxy = virtualProxy.VirtualProxy,
                Nodes = virtualProxy.Nodes.Select(n => new ReadinessNode(n.Node, n.Address, HealthName(n.Health))).ToList(),
            });
        }

        var failed = checks.Where(c => !c.Ok).Select(c => c.Name).ToList();
        return new ReadinessReport(failed.Count == 0 ? "ready" : "not_ready", checks, failed);
    }

    public static string HealthName(EngineNodeHealth health) => health switch
    {
        EngineNodeHealth.Healthy => "healthy",
        EngineNodeHealth.Unhealthy => "unhealthy",
        _ => "unknown",
    };
}
