using System.Diagnostics.CodeAnalysis;

namespace Portico.Authentication;

/// <summary>
/// The verdict of <see cref="UserIdentityRule"/> on one value: valid, or a reason that names the
/// field (as the caller called it) and never repeats the value.
/// </summary>
internal readonly record struct IdentityCheck
{
    private IdentityCheck(string? reason) => Reason = reason;

    public static IdentityCheck Valid => default;

    [MemberNotNullWhen(false, nameof(Reason))]
    public bool IsValid => Reason is null;

    public string? Reason { get; }

    public static IdentityCheck Invalid(string reason) => new(reason);
}
