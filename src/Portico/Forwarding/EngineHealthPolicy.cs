using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using Portico.Configuration;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace Portico.Forwarding;

/// <summary>
/// The active health check policy of every virtual proxy's cluster: YARP's ConsecutiveFailures
/// (same threshold metadata, same default), which logs nothing itself; this one logs each change
/// of an engine node's health as one line. YARP's own health log lines are filtered out (see
/// PorticoApplication): they repeat a warning with a stack trace at every failed probe.
/// </summary>
internal sealed partial class EngineHealthPolicy(
    IDestinationHealthUpdater healthUpdater,
    IOptions<ConsecutiveFailuresHealthPolicyOptions> options,
    ConfigSnapshotStore snapshots,
    ILogger<EngineHealthPolicy> logger) : IActiveHealthCheckPolicy
{
    public const string PolicyName = "PorticoConsecutiveFailures";

    // Per destination, as in YARP's policy: a destination that leaves the configuration takes its count with it.
    private readonly ConditionalWeakTable<DestinationState, FailureCount> _failures = [];

    public string Name => PolicyName;

    public void ProbingCompleted(ClusterState cluster, IReadOnlyList<DestinationProbingResult> probingResults)
    {
        if (probingResults.Count == 0)
        {
            return;
        }

        var threshold = Threshold(cluster);
        var newHealth = new NewActiveDestinationHealth[probingResults.Count];
        for (var i = 0; i < probingResults.Count; i++)
        {
            var result = probingResults[i];
            var destination = result.Destination;
            var succeeded = result.Response is { IsSuccessStatusCode: true };
            var failures = _failures.GetOrCreateValue(destination).Next(succeeded);
            var (next, change) = EngineHealthTransition.Decide(destination.Health.Active, succeeded, failures, threshold);
            newHealth[i] = new NewActiveDestinationHealth(destination, next);
            if (!succeeded && logger.IsEnabled(LogLevel.Debug))
            {
                Log.ProbeFailed(logger, destination.DestinationId, VirtualProxyOf(cluster), EngineHealthTransition.FailureReason(result.Response, result.Exception));
            }

            Report(change, cluster, destination, result);
        }

        healthUpdater.SetActive(cluster, newHealth);
    }

    private void Report(EngineHealthChange change, ClusterState cluster, DestinationState destination, DestinationProbingResult result)
    {
        switch (change)
        {
            case EngineHealthChange.Down:
                Log.Down(logger, destination.DestinationId, destination.Model.Config.Address, VirtualProxyOf(cluster),
                    EngineHealthTransition.FailureReason(result.Response, result.Exception));
                break;
            case EngineHealthChange.BackUp:
                Log.BackUp(logger, destination.DestinationId, destination.Model.Config.Address, VirtualProxyOf(cluster));
                break;
            case EngineHealthChange.Up:
                Log.Up(logger, destination.DestinationId, destination.Model.Config.Address, VirtualProxyOf(cluster));
                break;
        }
    }

    private double Threshold(ClusterState cluster) =>
        cluster.Model.Config.Metadata?.TryGetValue(ConsecutiveFailuresHealthPolicyOptions.ThresholdMetadataName, out var text) == true
        && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var threshold)
            ? threshold
            : options.Value.DefaultThreshold;

    /// <summary>Only looked up for a log line: the cluster id is the route id of a virtual proxy.</summary>
    private string VirtualProxyOf(ClusterState cluster) =>
        snapshots.Current.VirtualProxies.All.FirstOrDefault(vp => vp.RouteId == cluster.ClusterId)?.DisplayName ?? cluster.ClusterId;

    private sealed class FailureCount
    {
        private long _value;

        /// <summary>Failed probes in a row, this one included: 0 after a success.</summary>
        public long Next(bool succeeded)
        {
            if (succeeded)
            {
                Interlocked.Exchange(ref _value, 0);
                return 0;
            }

            return Interlocked.Increment(ref _value);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(8101, LogLevel.Warning, "Engine node {Node} ({Address}) of virtual proxy '{VirtualProxy}' is down: {Reason}.")]
        public static partial void Down(ILogger logger, string node, string address, string virtualProxy, string reason);

        [LoggerMessage(8102, LogLevel.Information, "Engine node {Node} ({Address}) of virtual proxy '{VirtualProxy}' is up again.")]
        public static partial void BackUp(ILogger logger, string node, string address, string virtualProxy);

        [LoggerMessage(8103, LogLevel.Information, "Engine node {Node} ({Address}) of virtual proxy '{VirtualProxy}' is up.")]
        public static partial void Up(ILogger logger, string node, string address, string virtualProxy);

        [LoggerMessage(8104, LogLevel.Debug, "Health probe of engine node {Node} of virtual proxy '{VirtualProxy}' failed: {Reason}.")]
        public static partial void ProbeFailed(ILogger logger, string node, string virtualProxy, string reason);
    }
}
