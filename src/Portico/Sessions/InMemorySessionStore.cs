using System.Collections.Concurrent;

namespace Portico.Sessions;

/// <summary>Sessions of a single Portico node. Lookups by id are lock-free; the indexes are rebuilt by scanning, which is fine for the per-user and per-credential queries that only logins and the API make.</summary>
internal sealed class InMemorySessionStore : ISessionStore
{
    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Prefix, string Key), string> _byCredential = new();

    public ValueTask<Session?> FindAsync(string id, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_sessions.GetValueOrDefault(id));

    public ValueTask<Session?> FindByCredentialAsync(string virtualProxyPrefix, string credentialKey, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_byCredential.TryGetValue((virtualProxyPrefix, credentialKey), out var id) ? _sessions.GetValueOrDefault(id) : null);

    public ValueTask<IReadOnlyList<Session>> FindByUserAsync(string virtualProxyPrefix, string userDirectory, string userId, CancellationToken cancellationToken)
    {
        IReadOnlyList<Session> found = _sessions.Values
            .Where(s => s.VirtualProxyPrefix == virtualProxyPrefix
                && string.Equals(s.User.UserDirectory, userDirectory, StringComparison.OrdinalIgnoreCase)
                && string.Equals(s.User.UserId, userId, StringComparison.OrdinalIgnoreCase))
            .ToList();
        return ValueTask.FromResult(found);
    }

    public ValueTask<bool> TryAddAsync(Session session, CancellationToken cancellationToken)
    {
        if (!_sessions.TryAdd(session.Id, session))
        {
            return ValueTask.FromResult(false);
        }

        if (session.CredentialKey is { } key)
        {
            _byCredential[(session.VirtualProxyPrefix, key)] = session.Id;
        }

        return ValueTask.FromResult(true);
    }

    public ValueTask TouchAsync(string id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        // A lost race between two touches keeps one of two nearly equal timestamps: harmless.
        if (_sessions.TryGetValue(id, out var session) && session.LastActivityAt < at)
        {
            _sessions.TryUpdate(id, session with { LastActivityAt = at }, session);
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

    public ValueTask<bool> RemoveAsync(string id, CancellationToken cancellationToken)
    {
        if (!_sessions.TryRemove(id, out var session))
        {
            return ValueTask.FromResult(false);
        }

        if (session.CredentialKey is { } key)
        {
            _byCredential.TryRemove(new KeyValuePair<(string, string), string>((session.VirtualProxyPrefix, key), id));
        }

        return ValueTask.FromResult(true);
    }

    public ValueTask<IReadOnlyList<Session>> FindStaleAsync(DateTimeOffset activeBefore, DateTimeOffset createdBefore, int max, CancellationToken cancellationToken)
    {
        IReadOnlyList<Session> stale = _sessions.Values
            .Where(s => s.LastActivityAt <= activeBefore || s.CreatedAt <= createdBefore)
            .Take(max)
            .ToList();
        return ValueTask.FromResult(stale);
    }

    public ValueTask<int> CountAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_sessions.Count);
}
