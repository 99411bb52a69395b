using System.Text.Json;
using Portico.Tickets;

namespace Portico.Authentication.Saml;

/// <summary>
/// The AuthnRequests Portico sent and not yet saw answered. A response is accepted only as the answer
/// to one of them, once: consuming removes it, so a replayed response (same InResponseTo) is refused.
/// Bounded in count and lifetime, because unauthenticated browsers make Portico add to it; a full store
/// refuses new logins rather than evicting the ones in progress. In cluster mode the requests live
/// in the shared store, so the identity provider may post the response to any node.
/// </summary>
/// <param name="shared">Cluster mode: requests live there instead of in this process.</param>
internal sealed class SamlRequestStore(TimeProvider time, Func<int, byte[]>? randomBytes = null, TimeSpan? lifetime = null, int capacity = SamlRequestStore.DefaultCapacity, ISharedLoginStateStorage? shared = null)
{
    private const string Kind = "saml-request";

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

    /// <summary><see cref="Register"/> in this process or, in cluster mode, in the shared store.</summary>
    public async ValueTask<string?> RegisterAsync(string virtualProxyPrefix, string? targetId, CancellationToken cancellationToken)
    {
        if (shared is null)
        {
            return Register(virtualProxyPrefix, targetId);
        }

        var id = "_" + RandomIdentifier.Create(_randomBytes);
        return await shared.TryAddAsync(Kind, SharedKey(id, virtualProxyPrefix), JsonSerializer.Serialize(new SharedEntry(targetId)), time.GetUtcNow() + _lifetime, capacity, cancellationToken)
            ? id
            : null;
    }

    /// <summary><see cref="TryConsume"/> in this process or, in cluster mode, in the shared store.</summary>
    /// <returns>Whether the request was live and sent for this virtual proxy, and the target id stored with it.</returns>
    public async ValueTask<(bool Consumed, string? TargetId)> TryConsumeAsync(string requestId, string virtualProxyPrefix, CancellationToken cancellationToken)
    {
        if (shared is null)
        {
            return (TryConsume(requestId, virtualProxyPrefix, out var targetId), targetId);
        }

        // The prefix is part of the key: another virtual proxy's response finds nothing and takes nothing.
        return requestId.Length <= 128
            && await shared.TakeAsync(Kind, SharedKey(requestId, virtualProxyPrefix), time.GetUtcNow(), cancellationToken) is { } payload
            ? (true, JsonSerializer.Deserialize<SharedEntry>(payload)!.TargetId)
            : (false, null);
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

    private static string SharedKey(string requestId, string virtualProxyPrefix) => virtualProxyPrefix + "\n" + requestId;

    private sealed record Entry(string Id, string Prefix, string? TargetId, DateTimeOffset ExpiresAt);

    private sealed record SharedEntry(string? TargetId);
}
