using Portico.Tickets;

namespace Portico.Authentication.Saml;

/// <summary>
/// The AuthnRequests Portico sent and not yet saw answered. A response is accepted only as the answer
/// to one of them, once: consuming removes it, so a replayed response (same InResponseTo) is refused.
/// Bounded in count and lifetime, because unauthenticated browsers make Portico add to it; a full store
/// refuses new logins rather than evicting the ones in progress.
/// </summary>
internal sealed class SamlRequestStore(TimeProvider time, Func<int, byte[]>? randomBytes = null, TimeSpan? lifetime = null, int capacity = SamlRequestStore.DefaultCapacity)
{
    public const int DefaultCapacity = 50_000;

    /// <summary>Long enough to log in with multi-factor authentication at the identity provider.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(10);

    private readonly Func<int, byte[]> _randomBytes = randomBytes ?? RandomIdentifier.Csprng;
    private readonly TimeSpan _lifetime = lifetime ?? DefaultLifetime;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _requests = new(StringComparer.Ordinal);
    private readonly Queue<Entry> _order = new();

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _requests.Count;
            }
        }
    }

    /// <returns>The new request's ID (an xs:ID, so it starts with '_'), or null when the store is full.</returns>
    public string? Register(string virtualProxyPrefix, string? targetId)
    {
        var id = "_" + RandomIdentifier.Create(_randomBytes);
        var now = time.GetUtcNow();
        var entry = new Entry(id, virtualProxyPrefix, targetId, now + _lifetime);
        lock (_lock)
        {
            Purge(now);
            if (_order.Count >= capacity)
            {
                return null;
            }

            _requests.Add(id, entry);
            _order.Enqueue(entry);
        }

        return id;
    }

    /// <summary>Takes the request out of the store when it is live and was sent for this virtual proxy.</summary>
    /// <returns>False for an unknown, expired, already answered or foreign request; the target id is that stored with the request.</returns>
    public bool TryConsume(string requestId, string virtualProxyPrefix, out string? targetId)
    {
        targetId = null;
        lock (_lock)
        {
            var now = time.GetUtcNow();
            Purge(now);
            if (!_requests.TryGetValue(requestId, out var entry) || entry.Prefix != virtualProxyPrefix || entry.ExpiresAt <= now)
            {
                return false;
            }

            // Queue entries of consumed requests are dropped by Purge when they expire.
            _requests.Remove(requestId);
            targetId = entry.TargetId;
            return true;
        }
    }

    private void Purge(DateTimeOffset now)
    {
        while (_order.TryPeek(out var oldest) && oldest.ExpiresAt <= now)
        {
            _order.Dequeue();
            _requests.Remove(oldest.Id);
        }
    }

    private sealed record Entry(string Id, string Prefix, string? TargetId, DateTimeOffset ExpiresAt);
}
