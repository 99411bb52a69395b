namespace Portico.Sessions;

/// <summary>A new session, or why none was created and when to try again.</summary>
internal readonly record struct SessionLogin(Session? Session, SessionRefusal Refusal, TimeSpan RetryAfter)
{
    public static SessionLogin Created(Session session) => new(session, SessionRefusal.None, TimeSpan.Zero);

    public static SessionLogin Refused(SessionRefusal refusal, TimeSpan retryAfter = default) => new(null, refusal, retryAfter);
}

internal enum SessionRefusal
{
    None,

    /// <summary>An app-supplied session id (QPS session API) is already in use.</summary>
    IdInUse,

    /// <summary>The node holds sessions.maxLiveSessions live sessions: no new anonymous session.</summary>
    Full,

    /// <summary>This client address made more anonymous sessions than clientLimits allows.</summary>
    RateLimited,
}
