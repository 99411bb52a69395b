using System.Diagnostics.CodeAnalysis;

namespace Portico.QpsApi;

/// <summary>Whether a QPS API request carries a valid xrfkey pair, and why not when it does not.</summary>
internal sealed record XrfKeyCheck
{
    private XrfKeyCheck(string? failureReason) => FailureReason = failureReason;

    public static XrfKeyCheck Valid { get; } = new((string?)null);

    [MemberNotNullWhen(false, nameof(FailureReason))]
    public bool IsValid => FailureReason is null;

    public string? FailureReason { get; }

    public static XrfKeyCheck Invalid(string reason) => new(reason);
}
