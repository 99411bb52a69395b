using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace Portico.Sessions;

/// <summary>Sessions of a single Portico node: lock-free lookups by id, with indexes by credential and by user so logins stay fast however many sessions there are.</summary>
internal sealed class InMemorySessionStore : ISessionStore
{
    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);
    // ConcurrentDictionary.Count takes every lock of the dictionary; this is read on every anonymous login.
    private int _count;
    private readonly ConcurrentDictionary<(string Prefix, string Key), string> _byCredential = new();
    // Most users hold one session or a few (every anonymous visitor is a user of their own), so the
    // ids of a user are a small immutable array, replaced whole, rather than a dictionary each.
    private readonly ConcurrentDictionary<(string Prefix, string Directory, string User), ImmutableArray<string>> _byUser = new();

    public ValueTask<Session?> FindAsync(string id, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_sessions.GetValueOrDefault(id));

    public ValueTask<Session?> FindByCredentialAsync(string virtualProxyPrefix, string credentialKey, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_byCredential.TryGetValue((virtualProxyPrefix, credentialKey), out var id) ? _sessions.GetValueOrDefault(id) : null);

    public ValueTask<IReadOnlyList<Session>> FindByUserAsync(string virtualProxyPrefix, string userDirectory, string userId, CancellationToken cancellationToken)
    {
        IReadOnlyList<Session> found = _byUser.TryGetValue(UserKey(virtualProxyPrefix, userDirectory, userId), out var ids)
            ? ids.Select(id => _sessions.GetValueOrDefault(id)).OfType<Session>().ToList()
            : [];
        return ValueTask.FromResult(found);
    }

    public ValueTask<bool> TryAddAsync(Session session, CancellationToken cancellationToken)
    {
        if (!_sessions.TryAdd(session.Id, session))
        {
            return ValueTask.FromResult(false);
        }

        Interlocked.Increment(ref _count);
        if (session.CredentialKey is { } key)
        {
            _byCredential[(session.VirtualProxyPrefix, key)] = session.Id;
        }

        // Atomic per user: a concurrent login or logout of the same user makes it retry, never lose an id.
        _byUser.AddOrUpdate(UserKey(session), static (_, id) => [id], static (_, ids, id) => ids.Add(id), session.Id);
        return ValueTask.FromResult(true);
    }

    public ValueTask TouchAsync(string id, DateTimeOffset at, bool usedAgain, CancellationToken cancellationToken)
    {
        // A lost race between two touches keeps one of two nearly equal timestamps: harmless; the
        // loop retries, so neither the used mark nor a concurrent engine-node update is lost.
        while (_sessions.TryGetValue(id, out var session) && (session.LastActivityAt < at || (usedAgain && !session.UsedAgain)))
        {
            var touched = session with { LastActivityAt = session.LastActivityAt < at ? at : session.LastActivityAt, UsedAgain = session.UsedAgain || usedAgain };
            if (_sessions.TryUpdate(id, touched, session))
            {
                break;
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask SetEngineNodeAsync(string id, string engineNode, CancellationToken cancellationToken)
    {
        while (_sessions.TryGetValue(id, out var session) && session.EngineNode != engineNode)
        {
            if (_sessions.TryUpdate(id, session with { EngineNode = engineNode }, session))
            {
                break;
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<Session?> ReloadAsync(string id, CancellationToken cancellationToken) => FindAsync(id, cancellationToken);

    public ValueTask<Session?> RemoveAsync(string id, SessionEndReason reason, CancellationToken cancellationToken)
    {
        if (!_sessions.TryRemove(id, out var session))
        {
            return ValueTask.FromResult<Session?>(null);
        }

        Interlocked.Decrement(ref _count);
        if (session.CredentialKey is { } key)
        {
            _byCredential.TryRemove(new KeyValuePair<(string, string), string>((session.VirtualProxyPrefix, key), id));
        }

        // Replaced only if no login or logout of the same user changed the entry meanwhile, else
        // retried; a user with no session left takes no room.
        var userKey = UserKey(session);
        while (_byUser.TryGetValue(userKey, out var ids) && ids.Contains(id))
        {
            var remaining = ids.Remove(id);
            if (remaining.IsEmpty
                ? _byUser.TryRemove(new KeyValuePair<(string, string, string), ImmutableArray<string>>(userKey, ids))
                : _byUser.TryUpdate(userKey, remaining, ids))
            {
                break;
            }
        }

        return ValueTask.FromResult<Session?>(session);
    }

    public ValueTask<IReadOnlyList<Session>> FindStaleAsync(StaleSessionQuery query, int max, CancellationToken cancellationToken)
    {
        // Enumerating the dictionary itself takes no lock (Values would copy it under all of them).
        var stale = new List<Session>();
        foreach (var (_, session) in _sessions)
        {
            if (query.Matches(session))
            {
                stale.Add(session);
                if (stale.Count == max)
                {
                    break;
                }
            }
        }

        return ValueTask.FromResult<IReadOnlyList<Session>>(stale);
    }

    // Directories and user ids compare case-insensitively, as in Qlik.
    private static (string, string, string) UserKey(string prefix, string directory, string userId) =>
        (prefix, directory.ToUpperInvariant(), userId.ToUpperInvariant());

    private static (string, string, string) UserKey(Session session) =>
        UserKey(session.VirtualProxyPrefix, session.User.UserDirectory, session.User.UserId);

    public int Count => Volatile.Read(ref _count);
}
