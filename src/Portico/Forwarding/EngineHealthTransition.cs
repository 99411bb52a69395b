using System.Net.Http;
using Yarp.ReverseProxy.Model;

namespace Portico.Forwarding;

/// <summary>What a probe round changed about an engine node, as far as an admin needs to hear of it.</summary>
internal enum EngineHealthChange
{
    /// <summary>Nothing to report: the node is as it was, or a failure has not yet reached the threshold.</summary>
    None,

    /// <summary>A node of unknown health (new, or just started) answered: reported once, quietly.</summary>
    Up,

    /// <summary>A node failed as many probes in a row as the threshold: it is left out until it answers again.</summary>
    Down,

    /// <summary>A node that was down answered again.</summary>
    BackUp,
}

/// <summary>
/// YARP's ConsecutiveFailures rule for active health probes, plus what the change means for the
/// log: a node is healthy as soon as a probe succeeds, and unhealthy once <c>threshold</c> probes
/// in a row have failed; fewer failures leave it as it was. Only changes are reported, so a node
/// that stays down is logged once, not at every probe.
/// </summary>
internal static class EngineHealthTransition
{
    /// <param name="previous">The node's active health before this probe.</param>
    /// <param name="probeSucceeded">The probe got a 2xx answer.</param>
    /// <param name="consecutiveFailures">Failed probes in a row, this one included (0 after a success).</param>
    /// <param name="threshold">Failed probes in a row that make a node unhealthy.</param>
    public static (DestinationHealth Next, EngineHealthChange Change) Decide(DestinationHealth previous, bool probeSucceeded, long consecutiveFailures, double threshold)
    {
        var next = probeSucceeded ? DestinationHealth.Healthy
            : consecutiveFailures < threshold ? previous
            : DestinationHealth.Unhealthy;
        var change = (previous, next) switch
        {
            _ when previous == next => EngineHealthChange.None,
            (_, DestinationHealth.Unhealthy) => EngineHealthChange.Down,
            (DestinationHealth.Unhealthy, DestinationHealth.Healthy) => EngineHealthChange.BackUp,
            (_, DestinationHealth.Healthy) => EngineHealthChange.Up,
            _ => EngineHealthChange.None,
        };
        return (next, change);
    }

    /// <summary>Why a probe failed, in one short line: the status the engine answered, a timeout, or the connection error.</summary>
    public static string FailureReason(HttpResponseMessage? response, Exception? exception) => (response, exception) switch
    {
        ({ } answered, _) => $"/healthcheck answered {(int)answered.StatusCode}",
        (_, OperationCanceledException) => "no answer within the health check timeout",
        // HttpClient's message names the problem and the address ("Connection refused (127.0.0.1:4747)").
        (_, HttpRequestException { Message: var message }) => FirstLine(message),
        (_, { } other) => other.GetType().Name,
        _ => "no answer",
    };

    private static string FirstLine(string text)
    {
        var end = text.AsSpan().IndexOfAny('\r', '\n');
        return end < 0 ? text : text[..end];
    }
}
