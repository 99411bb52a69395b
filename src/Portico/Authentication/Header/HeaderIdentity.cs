using System.Buffers;
using System.Globalization;
using System.Text;

namespace Portico.Authentication.Header;

/// <summary>
/// Qlik's header authentication: a trusted front end (an SSO gateway) names the user in a request
/// header. Only the parsing lives here; whether the request may use header authentication at all
/// is decided by <see cref="TrustedNetworks"/> and the virtual proxy's configuration.
/// </summary>
internal static class HeaderIdentity
{
    /// <summary>Qlik's "static user directory": the header holds the user id, the directory is configured.</summary>
    public static HeaderIdentityResult ParseStatic(string? headerValue, string staticUserDirectory)
    {
        if (string.IsNullOrWhiteSpace(staticUserDirectory))
        {
            return HeaderIdentityResult.Failed("no static user directory is configured");
        }

        var value = Clean(headerValue, out var failure);
        return value is null
            ? HeaderIdentityResult.Failed(failure!)
            : HeaderIdentityResult.Identified(new AuthenticatedUser(staticUserDirectory.Trim(), value));
    }

    /// <summary>Qlik's "dynamic user directory": the header holds both, laid out as <paramref name="pattern"/> says.</summary>
    public static HeaderIdentityResult ParseDynamic(string? headerValue, string pattern)
    {
        var parsed = DynamicUserDirectoryPattern.TryParse(pattern, out var patternError);
        return parsed is null ? HeaderIdentityResult.Failed(patternError!) : ParseDynamic(headerValue, parsed);
    }

    /// <summary>As <see cref="ParseDynamic(string?, string)"/>, with a pattern parsed once when the configuration loaded.</summary>
    public static HeaderIdentityResult ParseDynamic(string? headerValue, DynamicUserDirectoryPattern pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var value = Clean(headerValue, out var failure);
        return value is null ? HeaderIdentityResult.Failed(failure!) : pattern.Match(value);
    }

    /// <summary>
    /// The trimmed value, or null with the reason. Control characters (CR/LF above all), line and
    /// paragraph separators, and invisible formatting characters (bidirectional overrides,
    /// zero-width joiners) are refused: they let one name be logged or displayed as another.
    /// </summary>
    private static string? Clean(string? headerValue, out string? failure)
    {
        // Only HTTP's own whitespace (RFC 9110 5.6.3) is trimmed before the check: a trailing CR/LF
        // or U+2028 must be refused, not quietly trimmed away as Unicode whitespace.
        var value = headerValue?.Trim(' ', '\t');
        if (string.IsNullOrEmpty(value))
        {
            failure = "header value is empty";
            return null;
        }

        var rest = value.AsSpan();
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out var rune, out var consumed) != OperationStatus.Done)
            {
                failure = "header value is not valid Unicode";
                return null;
            }

            if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format
                or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                failure = "header value contains a control or invisible formatting character";
                return null;
            }

            rest = rest[consumed..];
        }

        value = value.Trim();
        if (value.Length == 0)
        {
            failure = "header value is empty";
            return null;
        }

        failure = null;
        return value;
    }
}
