using Portico.Authentication;
using Portico.Http;
using Portico.Sessions;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;
using Yarp.ReverseProxy.SessionAffinity;

namespace Portico.Forwarding;

/// <summary>
/// Keeps a Portico session on one engine node by remembering the node in the session itself. Unlike
/// an affinity cookie this costs no cryptography per request, works for cross-site mashups whose
/// browsers drop third-party cookies, and follows the session to every Portico node that shares the
/// session store.
/// </summary>
internal sealed partial class SessionAffinityPolicy(ISessionStore store, ILogger<SessionAffinityPolicy> logger) : ISessionAffinityPolicy
{
    public const string PolicyName = "PorticoSession";

    public string Name => PolicyName;

    public AffinityResult FindAffinitizedDestinations(HttpContext context, ClusterState cluster, SessionAffinityConfig config, IReadOnlyList<DestinationState> destinations)
    {
        var node = SessionOf(context)?.EngineNode;
        if (node is null)
        {
            return new AffinityResult(null, AffinityStatus.AffinityKeyNotSet);
        }

        foreach (var destination in destinations)
        {
            if (destination.DestinationId == node)
            {
                // A destination is also the list of itself: no list is allocated per request.
                return new AffinityResult(destination, AffinityStatus.OK);
            }
        }

        // The node is gone or unhealthy; the cluster's failure policy picks another one.
        return new AffinityResult(null, AffinityStatus.DestinationNotFound);
    }

    public void AffinitizeResponse(HttpContext context, ClusterState cluster, SessionAffinityConfig config, DestinationState destination)
    {
        if (SessionOf(context) is { } session && session.EngineNode != destination.DestinationId)
        {
            _ = RememberAsync(session.Id, destination.DestinationId);
        }
    }

    private static Session? SessionOf(HttpContext context) => PorticoRequest.Find(context)?.Authentication?.Session;

    private async Task RememberAsync(string sessionId, string node)
    {
        try
        {
            await store.SetEngineNodeAsync(sessionId, node, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The session then picks a node again on its next request: degraded, not broken.
            Log.RememberFailed(logger, ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(8004, LogLevel.Warning, "Could not record the engine node of a session.")]
        public static partial void RememberFailed(ILogger logger, Exception exception);
    }
}
