using System.Net;
using System.Threading.RateLimiting;

namespace Portico.Limits;

/// <summary>
/// A per-client-address budget for something an unauthenticated client can make Portico store: a
/// token bucket per <see cref="ClientAddressKey"/> that holds a minute's worth and refills steadily.
/// The BCL's partitioned limiter drops the bucket of a client that has been idle long enough to be
/// full again, so the buckets themselves take room only for clients that are active right now.
/// </summary>
internal sealed class ClientRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<ClientAddressKey>? _limiter;

    /// <param name="perMinute">Acquisitions per client and minute (also the burst); 0 turns the limit off.</param>
    public ClientRateLimiter(int perMinute)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(perMinute);
        PerMinute = perMinute;
        if (perMinute == 0)
        {
            return;
        }

        // Up to 60 a minute: one token every 60/perMinute seconds; above that, a share every second.
        var (period, tokens) = perMinute <= 60
            ? (TimeSpan.FromSeconds(60.0 / perMinute), 1)
            : (TimeSpan.FromSeconds(1), (perMinute + 59) / 60);
        var options = new TokenBucketRateLimiterOptions
        {
            TokenLimit = perMinute,
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = period,
            QueueLimit = 0,
            AutoReplenishment = true,
        };
        _limiter = PartitionedRateLimiter.Create<ClientAddressKey, ClientAddressKey>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => options));
    }

    public int PerMinute { get; }

    /// <returns>True when the client may go on; otherwise <paramref name="retryAfter"/> says when it may try again.</returns>
    public bool TryAcquire(IPAddress? client, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (_limiter is null)
        {
            return true;
        }

        RateLimitLease lease;
        try
        {
            lease = _limiter.AttemptAcquire(ClientAddressKey.Of(client));
        }
        catch (ObjectDisposedException)
        {
            // Only a limiter retired long ago by a reload gets here (see ClientLimits): refuse
            // rather than let a request past every limit; the client's next try meets the new one.
            retryAfter = TimeSpan.FromSeconds(1);
            return false;
        }

        using var _ = lease;
        if (lease.IsAcquired)
        {
            return true;
        }

        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) && after > TimeSpan.Zero ? after : TimeSpan.FromSeconds(1);
        return false;
    }

    public void Dispose() => _limiter?.Dispose();
}
