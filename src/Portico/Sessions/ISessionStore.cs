namespace Portico.Sessions;

/// <summary>
/// Where sessions live. In memory for one node; a shared store lets several Portico nodes see the
/// same sessions. The store only keeps data: lifetimes, limits and ending sockets are decided by
/// <see cref="SessionManager"/>, the same for every store.
/// </summary>
internal interface ISessionStore
{
    ValueTask<Session?> FindAsync(string id, CancellationToken cancellationToken);

    ValueTask<Session?> FindByCredentialAsync(string virtualProxyPrefix, string credentialKey, CancellationToken cancellationToken);

    ValueTask<IReadOnlyList<Session>> FindByUserAsync(string virtualProxyPrefix, string userDirectory, string userId, CancellationToken cancellationToken);

    /// <returns>False when a session with this id already exists (ids are never reused or overwritten).</returns>
    ValueTask<bool> TryAddAsync(Session session, CancellationToken cancellationToken);

    ValueTask TouchAsync(string id, DateTimeOffset at, CancellationToken cancellationToken);

    ValueTask SetEngineNodeAsync(string id, string engineNode, CancellationToken cancellationToken);

    ValueTask<bool> RemoveAsync(string id, CancellationToken cancellationToken);

    /// <summary>Sessions whose last activity is at or before <paramref name="activeBefore"/>, or created at or before <paramref name="createdBefore"/> (candidates for expiry, matching <see cref="SessionLifetime"/>).</summary>
    ValueTask<IReadOnlyList<Session>> FindStaleAsync(DateTimeOffset activeBefore, DateTimeOffset createdBefore, int max, CancellationToken cancellationToken);

    ValueTask<int> CountAsync(CancellationToken cancellationToken);
}
