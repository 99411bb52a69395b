using System.Net;
using Portico.Configuration;

namespace Portico.Limits;

/// <summary>
/// The per-client limits of the active configuration. A reload that changes a rate starts that
/// limiter afresh; one that does not keeps every client's bucket as it is.
/// </summary>
internal sealed class ClientLimits(ConfigSnapshotStore snapshots) : IDisposable
{
    private ClientRateLimiter? _anonymousSessions;
    private ClientRateLimiter? _loginTargets;

    /// <summary>May this client make Portico create one more anonymous session?</summary>
    public bool TryCreateAnonymousSession(IPAddress? client, out TimeSpan retryAfter) =>
        Current(ref _anonymousSessions, snapshots.Current.Config.ClientLimits.AnonymousSessionsPerMinute).TryAcquire(client, out retryAfter);

    /// <summary>May this client make Portico store one more login target?</summary>
    public bool TryStoreLoginTarget(IPAddress? client) =>
        Current(ref _loginTargets, snapshots.Current.Config.ClientLimits.LoginTargetsPerMinute).TryAcquire(client, out _);

    public void Dispose()
    {
        _anonymousSessions?.Dispose();
        _loginTargets?.Dispose();
    }

    private static ClientRateLimiter Current(ref ClientRateLimiter? field, int perMinute)
    {
        var limiter = Volatile.Read(ref field);
        if (limiter is not null && limiter.PerMinute == perMinute)
        {
            return limiter;
        }

        var fresh = new ClientRateLimiter(perMinute);
        var previous = Interlocked.CompareExchange(ref field, fresh, limiter);
        if (!ReferenceEquals(previous, limiter))
        {
            // Another request replaced it first; theirs is as good as ours.
            fresh.Dispose();
            return previous!;
        }

        limiter?.Dispose();
        return fresh;
    }
}
