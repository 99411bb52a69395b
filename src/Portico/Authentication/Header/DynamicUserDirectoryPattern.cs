namespace Portico.Authentication.Header;

/// <summary>
/// Qlik's "dynamic user directory" pattern, such as <c>$ud\\$id</c> or <c>$id@$ud</c>: where the
/// user directory (<c>$ud</c>) and user id (<c>$id</c>) sit in the header value. The text between
/// the two tokens is the separator; text before and after them must appear literally.
/// </summary>
/// <remarks>
/// Qlik writes a backslash separator doubled (<c>$ud\\$id</c> matches <c>CORP\bob</c>), while the
/// same pattern typed into a JSON file often arrives with a single one. A doubled backslash is
/// therefore read as one, so both spellings mean the same thing.
/// </remarks>
internal sealed class DynamicUserDirectoryPattern
{
    public const string UserDirectoryToken = "$ud";
    public const string UserIdToken = "$id";

    private const int TokenLength = 3;

    private DynamicUserDirectoryPattern(string text, string prefix, string separator, string suffix, bool userDirectoryFirst)
    {
        Text = text;
        Prefix = prefix;
        Separator = separator;
        Suffix = suffix;
        UserDirectoryFirst = userDirectoryFirst;
    }

    /// <summary>The pattern as configured.</summary>
    public string Text { get; }

    public string Prefix { get; }

    public string Separator { get; }

    public string Suffix { get; }

    public bool UserDirectoryFirst { get; }

    public static DynamicUserDirectoryPattern? TryParse(string? pattern, out string? error)
    {
        if (string.IsNullOrWhiteSpace(pattern))
        {
            error = "the dynamic user directory pattern is empty; use for example $ud\\\\$id";
            return null;
        }

        var unescaped = pattern.Replace(@"\\", @"\", StringComparison.Ordinal);
        var ud = SingleIndexOf(unescaped, UserDirectoryToken);
        var id = SingleIndexOf(unescaped, UserIdToken);
        if (ud < 0 || id < 0)
        {
            error = "the dynamic user directory pattern must contain $ud and $id exactly once each";
            return null;
        }

        var (first, second) = ud < id ? (ud, id) : (id, ud);
        var separator = unescaped[(first + TokenLength)..second];
        if (separator.Length == 0)
        {
            // "$ud$id" has no place to split "CORPbob".
            error = "the dynamic user directory pattern needs a separator between $ud and $id, for example $ud\\\\$id";
            return null;
        }

        if (unescaped.Any(char.IsControl))
        {
            error = "the dynamic user directory pattern contains a control character";
            return null;
        }

        error = null;
        return new DynamicUserDirectoryPattern(pattern, unescaped[..first], separator, unescaped[(second + TokenLength)..], ud < id);
    }

    /// <summary>
    /// Splits <paramref name="value"/> into directory and id. Refuses, rather than guesses, when the
    /// separator appears more than once: "a\b\c" could be directory "a" or "a\b", and two readings
    /// of one header are two different users.
    /// </summary>
    public HeaderIdentityResult Match(string value)
    {
        if (value.Length < Prefix.Length + Separator.Length + Suffix.Length
            || !value.StartsWith(Prefix, StringComparison.Ordinal)
            || !value.EndsWith(Suffix, StringComparison.Ordinal))
        {
            return HeaderIdentityResult.Failed(NoMatch);
        }

        var middle = value[Prefix.Length..^Suffix.Length];
        var at = middle.IndexOf(Separator, StringComparison.Ordinal);
        if (at < 0)
        {
            return HeaderIdentityResult.Failed(NoMatch);
        }

        if (middle.IndexOf(Separator, at + 1, StringComparison.Ordinal) >= 0)
        {
            return HeaderIdentityResult.Failed("header value contains the separator of the dynamic user directory pattern more than once");
        }

        // The parts are taken as they are: "CORP \ bob" names " bob", which the identity rule
        // refuses, rather than "bob" after a trim that would also remove no-break spaces.
        var first = middle[..at];
        var second = middle[(at + Separator.Length)..];
        var (directory, userId) = UserDirectoryFirst ? (first, second) : (second, first);
        if (directory.Length == 0)
        {
            return HeaderIdentityResult.Failed("header value has an empty user directory");
        }

        if (userId.Length == 0)
        {
            return HeaderIdentityResult.Failed("header value has an empty user id");
        }

        var check = UserIdentityRule.CheckUser(directory, "the user directory in the header value", userId, "the user id in the header value");
        return check.IsValid
            ? HeaderIdentityResult.Identified(new AuthenticatedUser(directory, userId))
            : HeaderIdentityResult.Failed(check.Reason);
    }

    private string NoMatch => $"header value does not match the dynamic user directory pattern {Text}";

    private static int SingleIndexOf(string text, string token)
    {
        var index = text.IndexOf(token, StringComparison.Ordinal);
        return index >= 0 && text.IndexOf(token, index + 1, StringComparison.Ordinal) < 0 ? index : -1;
    }
}
