using System.Net;
using Portico.Configuration;

namespace Portico.Limits;

/// <summary>
/// The per-client limits of the active configuration. A reload that changes a rate starts that
/// limiter afresh; one that does not keeps every client's bucket as it is.
/// </summary>
internal sealed class ClientLimits(ConfigSnapshotStore snapshots) : IDisposable
{
    /// <summary>How long a limiter replaced by a reload is kept for requests that already hold it.</summary>
    private static readonly TimeSpan RetiredLimiterGrace = TimeSpan.FromMinutes(1);

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

        // Requests that read the old limiter a moment ago may still be using it: it is disposed
        // (its buckets and timer freed) once they are surely done, never under them.
        if (limiter is not null)
        {
            _ = Task.Delay(RetiredLimiterGrace).ContinueWith(_ => limiter.Dispose(), TaskScheduler.Default);
        }

        return fresh;
    }
}
