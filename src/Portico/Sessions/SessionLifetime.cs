namespace Portico.Sessions;

/// <summary>
/// Whether a session is still alive: idle time below the virtual proxy's inactivity timeout, and age
/// below the absolute lifetime (OWASP Session Management: both limits, enforced on the server).
/// </summary>
internal static class SessionLifetime
{
    public static SessionState Evaluate(Session session, TimeSpan idleTimeout, TimeSpan absoluteLifetime, DateTimeOffset now)
    {
        if (now - session.CreatedAt >= absoluteLifetime)
        {
            return SessionState.LifetimeExpired;
        }

        return now - session.LastActivityAt >= idleTimeout ? SessionState.IdleExpired : SessionState.Active;
    }
}

internal enum SessionState
{
    Active,
    IdleExpired,
    LifetimeExpired,
}
