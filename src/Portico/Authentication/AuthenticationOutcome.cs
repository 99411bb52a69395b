using Portico.Sessions;

namespace Portico.Authentication;

/// <summary>
/// What authentication decided for a request: an existing session, a login whose session is still
/// to be created, no credential at all, or a credential that was refused.
/// </summary>
internal sealed record AuthenticationOutcome
{
    /// <summary>The session the request acts in; null until a pending login's session is created.</summary>
    public Session? Session { get; init; }

    /// <summary>
    /// A login whose session is created only when the request needs one (it reaches an engine or
    /// asks for a token): a request refused, answered 404 or preflighted leaves nothing behind.
    /// </summary>
    public PendingLogin? Pending { get; init; }

    /// <summary>The credential that produced the session (or was refused).</summary>
    public CredentialKind Method { get; init; }

    /// <summary>True when the response must carry the session cookie: a new session, or a credential that found a session the browser's cookie does not name.</summary>
    public bool IssuesCookie { get; init; }

    /// <summary>Why the presented credential was refused; null when none was presented or it was accepted.</summary>
    public string? RejectionReason { get; init; }

    public bool IsAuthenticated => Session is not null || Pending is not null;

    public static AuthenticationOutcome Authenticated(Session session, CredentialKind method, bool issuesCookie) =>
        new() { Session = session, Method = method, IssuesCookie = issuesCookie };

    public static AuthenticationOutcome LoginPending(PendingLogin login) => new() { Pending = login, Method = login.Method };

    public static AuthenticationOutcome Unauthenticated { get; } = new() { Method = CredentialKind.None };

    public static AuthenticationOutcome Rejected(CredentialKind method, string reason) => new() { Method = method, RejectionReason = reason };
}

/// <summary>A login that was decided but has no session yet.</summary>
/// <param name="User">Who logs in; null for a new anonymous visitor (Portico names them when the session is made).</param>
/// <param name="CredentialKey">For per-request credentials: finds this session again when the same credential comes back.</param>
internal sealed record PendingLogin(AuthenticatedUser? User, string? CredentialKey, CredentialKind Method)
{
    public static PendingLogin Anonymous { get; } = new(null, null, CredentialKind.Anonymous);
}

internal enum CredentialKind
{
    None,
    SessionCookie,
    Bearer,
    Ticket,
    Header,
    Anonymous,
    Saml,
    Oidc,
}
