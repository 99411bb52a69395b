using System.Diagnostics.CodeAnalysis;

namespace Portico.Authentication.Header;

/// <summary>The user an authentication header names, or why the header was refused.</summary>
internal sealed record HeaderIdentityResult
{
    private HeaderIdentityResult(AuthenticatedUser? user, string? failureReason)
    {
        User = user;
        FailureReason = failureReason;
    }

    [MemberNotNullWhen(true, nameof(User))]
    [MemberNotNullWhen(false, nameof(FailureReason))]
    public bool Success => User is not null;

    public AuthenticatedUser? User { get; }

    /// <summary>Safe for the audit log: it never repeats the header value.</summary>
    public string? FailureReason { get; }

    public static HeaderIdentityResult Identified(AuthenticatedUser user) => new(user, null);

    public static HeaderIdentityResult Failed(string reason) => new(null, reason);
}
