namespace Portico.Sessions;

/// <summary>The limits a session lives within, from the active configuration.</summary>
internal readonly record struct SessionLimits(TimeSpan IdleTimeout, TimeSpan AbsoluteLifetime, TimeSpan AnonymousFirstUseGrace);

/// <summary>
/// Whether a session is still alive: idle time below the virtual proxy's inactivity timeout, and age
/// below the absolute lifetime (OWASP Session Management: both limits, enforced on the server). An
/// anonymous session also has to be used again within a short grace: a client that never sends its
/// cookie back (a script, a flood) would otherwise leave a session behind for the whole idle timeout.
/// Only its cookie can reach an anonymous session again, so once its WebSockets are closed a session
/// whose cookie never came back is of no use to anyone.
/// </summary>
internal static class SessionLifetime
{
    /// <param name="hasOpenSockets">The session holds WebSockets on this node: a socket in use is never cut for the grace.</param>
    public static SessionState Evaluate(Session session, SessionLimits limits, DateTimeOffset now, bool hasOpenSockets = false)
    {
        if (now - session.CreatedAt >= limits.AbsoluteLifetime)
        {
            return SessionState.LifetimeExpired;
        }

        if (session.User.IsAnonymous && !session.UsedAgain && !hasOpenSockets && now - session.CreatedAt >= limits.AnonymousFirstUseGrace)
        {
            return SessionState.NeverUsed;
        }

        return now - session.LastActivityAt >= limits.IdleTimeout ? SessionState.IdleExpired : SessionState.Active;
    }
}

internal enum SessionState
{
    Active,
    IdleExpired,
    LifetimeExpired,
    NeverUsed,
}
