namespace Portico.Authentication.Header;

/// <summary>
/// Qlik's header authentication: a trusted front end (an SSO gateway) names the user in a request
/// header. Only the parsing lives here; whether the request may use header authentication at all
/// is decided by <see cref="TrustedNetworks"/> and the virtual proxy's configuration.
/// </summary>
/// <remarks>
/// Only HTTP's own optional whitespace around the value (space and tab, RFC 9110 §5.6.3) is dropped.
/// What remains must pass <see cref="UserIdentityRule"/> as it is: a trailing CR/LF, U+2028 or
/// no-break space is refused, never trimmed away, so "\u00a0admin\u00a0" cannot become "admin".
/// </remarks>
internal static class HeaderIdentity
{
    private const string EmptyValue = "header value is empty";

    /// <summary>Qlik's "static user directory": the header holds the user id, the directory is configured.</summary>
    public static HeaderIdentityResult ParseStatic(string? headerValue, string staticUserDirectory)
    {
        if (string.IsNullOrWhiteSpace(staticUserDirectory))
        {
            return HeaderIdentityResult.Failed("no static user directory is configured");
        }

        // Configuration validation applies the same rule; this keeps the function safe on its own.
        var directory = UserIdentityRule.CheckUserDirectory(staticUserDirectory, "the configured static user directory");
        if (!directory.IsValid)
        {
            return HeaderIdentityResult.Failed(directory.Reason);
        }

        var value = WithoutOptionalWhitespace(headerValue);
        if (value is null)
        {
            return HeaderIdentityResult.Failed(EmptyValue);
        }

        var userId = UserIdentityRule.CheckUserId(value, "header value");
        return userId.IsValid
            ? HeaderIdentityResult.Identified(new AuthenticatedUser(staticUserDirectory, value))
            : HeaderIdentityResult.Failed(userId.Reason);
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
        var value = WithoutOptionalWhitespace(headerValue);
        return value is null ? HeaderIdentityResult.Failed(EmptyValue) : pattern.Match(value);
    }

    /// <summary>The value without HTTP's optional whitespace at its ends (RFC 9110 §5.6.3), or null when nothing is left.</summary>
    private static string? WithoutOptionalWhitespace(string? headerValue)
    {
        var value = headerValue?.Trim(' ', '\t');
        return string.IsNullOrEmpty(value) ? null : value;
    }
}
