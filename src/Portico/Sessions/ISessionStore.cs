namespace Portico.Sessions;

/// <summary>
/// Where sessions live. In memory for one node; a shared store lets several Portico nodes see the
/// same sessions. The store only keeps data: lifetimes, limits and ending sockets are decided by
/// <see cref="SessionManager"/>, the same for every store.
/// </summary>
/// <summary>
/// Which sessions of one virtual proxy may have expired, matching <see cref="SessionLifetime"/>: last
/// active at or before <see cref="ActiveBefore"/>, created at or before <see cref="CreatedBefore"/>, or
/// anonymous, never used again and created at or before <see cref="UnusedAnonymousCreatedBefore"/>.
/// </summary>
internal readonly record struct StaleSessionQuery(string VirtualProxyPrefix, DateTimeOffset ActiveBefore, DateTimeOffset CreatedBefore, DateTimeOffset UnusedAnonymousCreatedBefore)
{
    /// <summary>Every session of a virtual proxy (one that no longer exists).</summary>
    public static StaleSessionQuery All(string virtualProxyPrefix) => new(virtualProxyPrefix, DateTimeOffset.MaxValue, DateTimeOffset.MaxValue, DateTimeOffset.MaxValue);

    public bool Matches(Session session) =>
        session.VirtualProxyPrefix == VirtualProxyPrefix
        && (session.LastActivityAt <= ActiveBefore
        || session.CreatedAt <= CreatedBefore
        || (session.User.IsAnonymous && !session.UsedAgain && session.CreatedAt <= UnusedAnonymousCreatedBefore));
}

internal interface ISessionStore
{
    ValueTask<Session?> FindAsync(string id, CancellationToken cancellationToken);

    ValueTask<Session?> FindByCredentialAsync(string virtualProxyPrefix, string credentialKey, CancellationToken cancellationToken);

    ValueTask<IReadOnlyList<Session>> FindByUserAsync(string virtualProxyPrefix, string userDirectory, string userId, CancellationToken cancellationToken);

    /// <returns>False when a session with this id already exists (ids are never reused or overwritten).</returns>
    ValueTask<bool> TryAddAsync(Session session, CancellationToken cancellationToken);

    /// <summary>Records activity at <paramref name="at"/>; with <paramref name="usedAgain"/>, also marks the session <see cref="Session.UsedAgain"/>.</summary>
    ValueTask TouchAsync(string id, DateTimeOffset at, bool usedAgain, CancellationToken cancellationToken);

    ValueTask SetEngineNodeAsync(string id, string engineNode, CancellationToken cancellationToken);

    /// <summary>
    /// Removes a session; <paramref name="reason"/> travels to the other nodes of a cluster, whose
    /// sockets of the session are then closed with the same notice.
    /// </summary>
    /// <returns>The removed session; null when there was none with this id.</returns>
    ValueTask<Session?> RemoveAsync(string id, SessionEndReason reason, CancellationToken cancellationToken);

    /// <summary>
    /// The session as the store of record has it now. A shared store's node may hold a copy whose
    /// activity another node has since moved on: read before a session is ended for expiry.
    /// </summary>
    ValueTask<Session?> ReloadAsync(string id, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="max"/> candidates for expiry (see <see cref="StaleSessionQuery"/>).</summary>
    ValueTask<IReadOnlyList<Session>> FindStaleAsync(StaleSessionQuery query, int max, CancellationToken cancellationToken);

    /// <summary>Live sessions, read without a lock: the session cap is checked against it on every anonymous login.</summary>
    int Count { get; }
}
