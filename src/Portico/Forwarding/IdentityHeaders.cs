using Portico.Authentication;

namespace Portico.Forwarding;

/// <summary>
/// The headers that tell the engine who the user is. The engine trusts them blindly, so a client's
/// own copy must never reach it, whatever its spelling.
/// </summary>
internal static class IdentityHeaders
{
    public const string User = "X-Qlik-User";
    public const string Security = "X-Qlik-Security";
    public const string ProxySession = "X-Qlik-ProxySession";

    private static readonly string[] ProtectedCanonicalNames = ["x-qlik-user", "x-qlik-security", "x-qlik-proxysession"];

    /// <summary>Qlik's format; values are URL-encoded so a ';' or '=' in an id cannot forge another field.</summary>
    public static string FormatUser(AuthenticatedUser user) =>
        $"UserDirectory={Uri.EscapeDataString(user.UserDirectory)}; UserId={Uri.EscapeDataString(user.UserId)}";

    public static string FormatSecurity(bool secureRequest) =>
        secureRequest ? "SecureRequest=true; Context=AppAccess" : "SecureRequest=false; Context=AppAccess";

    /// <summary>
    /// True for a client header that must be removed: an identity header in any case and with '_'
    /// for '-' (some servers treat them alike), or one of <paramref name="alsoProtected"/>.
    /// </summary>
    public static bool IsProtected(string headerName, IReadOnlyCollection<string> alsoProtected)
    {
        var name = headerName.AsSpan().Trim();
        foreach (var candidate in ProtectedCanonicalNames)
        {
            if (SameCanonicalName(name, candidate))
            {
                return true;
            }
        }

        foreach (var candidate in alsoProtected)
        {
            if (SameCanonicalName(name, candidate.AsSpan().Trim()))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Case-insensitive, with '_' and '-' alike; compares in place because it runs for every header of every request.</summary>
    private static bool SameCanonicalName(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            var x = a[i] == '_' ? '-' : char.ToLowerInvariant(a[i]);
            var y = b[i] == '_' ? '-' : char.ToLowerInvariant(b[i]);
            if (x != y)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The Cookie header values without the named cookie (Portico's session cookie).</summary>
    public static string WithoutCookie(IEnumerable<string> cookieHeaders, string cookieName) =>
        string.Join("; ", cookieHeaders
            .SelectMany(h => h.Split(';'))
            .Select(p => p.Trim())
            .Where(p => p.Length > 0 && !IsCookie(p, cookieName)));

    private static bool IsCookie(string pair, string cookieName)
    {
        var eq = pair.IndexOf('=', StringComparison.Ordinal);
        return (eq < 0 ? pair : pair[..eq]).Trim().Equals(cookieName, StringComparison.Ordinal);
    }

}
