using System.Buffers;
using System.Globalization;
using System.Text;

namespace Portico.Authentication;

/// <summary>
/// The one rule every authentication method applies to the identity a credential names (ticket and
/// session API, JWT, header; any later method calls the same functions): the user directory, user
/// id and attributes are taken exactly as sent or refused, never cleaned up.
/// </summary>
/// <remarks>
/// Refused everywhere: empty values, values longer than <see cref="MaxLength"/>, control characters
/// (CR/LF start forged log lines and headers), invisible formatting characters (bidirectional
/// overrides, zero-width spaces and joiners, BOM, soft hyphen: one name displayed as another), line
/// and paragraph separators, unpaired surrogates, and whitespace at either end (<c>"admin\u00a0"</c>
/// is not <c>"admin"</c>, and trimming it afterwards would make it so). Only the user directory is
/// checked against the reserved names.
/// </remarks>
internal static class UserIdentityRule
{
    /// <summary>Bound for a user directory, user id and attribute name: real ones are far shorter.</summary>
    public const int MaxLength = 256;

    /// <summary>Bound for an attribute value (a group name, an e-mail address, a distinguished name).</summary>
    public const int MaxAttributeValueLength = 4096;

    /// <summary>Directories only Portico itself may assign; a credential naming one is refused.</summary>
    private static readonly string[] ReservedDirectories = [AuthenticatedUser.AnonymousDirectory];

    /// <summary>Both parts of a user, the directory first.</summary>
    public static IdentityCheck CheckUser(string? userDirectory, string userDirectoryField, string? userId, string userIdField)
    {
        var directory = CheckUserDirectory(userDirectory, userDirectoryField);
        return directory.IsValid ? CheckUserId(userId, userIdField) : directory;
    }

    /// <param name="field">How the caller names the value in the reason, e.g. <c>UserDirectory</c> or <c>user directory claim 'dir'</c>.</param>
    public static IdentityCheck CheckUserDirectory(string? value, string field)
    {
        var check = Check(value, field, MaxLength, allowEmpty: false);
        if (check.IsValid && IsReservedDirectory(value!))
        {
            return IdentityCheck.Invalid($"{field} names the user directory {AuthenticatedUser.AnonymousDirectory}, which is reserved for anonymous access");
        }

        return check;
    }

    public static IdentityCheck CheckUserId(string? value, string field) => Check(value, field, MaxLength, allowEmpty: false);

    public static IdentityCheck CheckAttributeName(string? name, string field) => Check(name, field, MaxLength, allowEmpty: false);

    /// <summary>Values may be empty and may hold inner spaces; otherwise the same characters are refused.</summary>
    public static IdentityCheck CheckAttributeValue(string? value, string field) => Check(value, field, MaxAttributeValueLength, allowEmpty: true);

    /// <summary>
    /// True when <paramref name="userDirectory"/> is a reserved directory after Unicode compatibility
    /// normalization (NFKC) and case folding: "anonymous", "ＡＮＯＮＹＭＯＵＳ" and "A№NYMOUS" all are.
    /// </summary>
    public static bool IsReservedDirectory(string userDirectory)
    {
        ArgumentNullException.ThrowIfNull(userDirectory);
        var folded = CompatibilityLetters.Fold(userDirectory);
        foreach (var reserved in ReservedDirectories)
        {
            if (string.Equals(folded, reserved, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static IdentityCheck Check(string? value, string field, int maxLength, bool allowEmpty)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (value is null || (value.Length == 0 && !allowEmpty))
        {
            return IdentityCheck.Invalid($"{field} is empty");
        }

        if (value.Length > maxLength)
        {
            return IdentityCheck.Invalid($"{field} is longer than {maxLength} characters");
        }

        var rest = value.AsSpan();
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out var rune, out var consumed) != OperationStatus.Done)
            {
                return IdentityCheck.Invalid($"{field} is not valid Unicode (an unpaired surrogate)");
            }

            var problem = Rune.GetUnicodeCategory(rune) switch
            {
                UnicodeCategory.Control => "a control character",
                UnicodeCategory.Format => "an invisible formatting character",
                UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => "a line or paragraph separator",
                _ => null,
            };
            if (problem is not null)
            {
                return IdentityCheck.Invalid($"{field} contains {problem} ({CodePoint(rune)})");
            }

            rest = rest[consumed..];
        }

        // Whitespace has no supplementary code points, so a char test at each end suffices.
        if (value.Length > 0 && char.IsWhiteSpace(value[0]))
        {
            return IdentityCheck.Invalid($"{field} begins with whitespace ({CodePoint(new Rune(value[0]))})");
        }

        if (value.Length > 0 && char.IsWhiteSpace(value[^1]))
        {
            return IdentityCheck.Invalid($"{field} ends with whitespace ({CodePoint(new Rune(value[^1]))})");
        }

        return IdentityCheck.Valid;
    }

    /// <summary>The offending character by number only, so a reason never carries it.</summary>
    private static string CodePoint(Rune rune) => "U+" + rune.Value.ToString("X4", CultureInfo.InvariantCulture);
}
