using Portico.Sessions;

namespace Portico.Authentication;

/// <summary>What authentication decided for a request: a session, no credential at all, or a credential that was refused.</summary>
internal sealed record AuthenticationOutcome
{
    public Session? Session { get; init; }

    /// <summary>The credential that produced the session (or was refused).</summary>
    public CredentialKind Method { get; init; }

    /// <summary>True when this request logged in (or re-presented a per-request credential): the response carries the session cookie.</summary>
    public bool IssuesCookie { get; init; }

    /// <summary>Why the presented credential was refused; null when none was presented or it was accepted.</summary>
    public string? RejectionReason { get; init; }

    public bool IsAuthenticated => Session is not null;

    public static AuthenticationOutcome Authenticated(Session session, CredentialKind method, bool issuesCookie) =>
        new() { Session = session, Method = method, IssuesCookie = issuesCookie };

    public static AuthenticationOutcome Unauthenticated { get; } = new() { Method = CredentialKind.None };

    public static AuthenticationOutcome Rejected(CredentialKind method, string reason) => new() { Method = method, RejectionReason = reason };
}

internal enum CredentialKind
{
    None,
    SessionCookie,
    Bearer,
    Ticket,
    Header,
    Anonymous,
}
