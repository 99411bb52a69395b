using System.Diagnostics.CodeAnalysis;

namespace Portico.Authentication.Jwt;

/// <summary>
/// The verdict on one JWT: the user it names, or a short reason for the audit log. A reason never
/// contains the token or any part of it.
/// </summary>
internal sealed record JwtValidationResult
{
    private JwtValidationResult()
    {
    }

    [MemberNotNullWhen(true, nameof(UserDirectory), nameof(UserId))]
    [MemberNotNullWhen(false, nameof(Reason))]
    public bool Succeeded { get; private init; }

    public string? UserDirectory { get; private init; }

    public string? UserId { get; private init; }

    /// <summary>Claims copied from the token; an array claim gives one pair per element.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Attributes { get; private init; } = [];

    /// <summary>The token's <c>exp</c>; a session built on it should not outlive it.</summary>
    public DateTimeOffset? ExpiresAt { get; private init; }

    public string? Reason { get; private init; }

    public static JwtValidationResult Success(
        string userDirectory, string userId, IReadOnlyList<KeyValuePair<string, string>> attributes, DateTimeOffset? expiresAt) =>
        new()
        {
            Succeeded = true,
            UserDirectory = userDirectory,
            UserId = userId,
            Attributes = attributes,
            ExpiresAt = expiresAt,
        };

    public static JwtValidationResult Failure(string reason) => new() { Reason = reason };
}
