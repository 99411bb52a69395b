using System.Buffers;
using System.Net.Http.Headers;
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
    public static bool IsProtected(string headerName, ReadOnlySpan<string> alsoProtected)
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

    /// <summary>True when one of the Cookie header values may hold the named cookie (a cheap test before <see cref="WithoutCookie"/>).</summary>
    public static bool MayHoldCookie(HeaderStringValues cookieHeaders, string cookieName)
    {
        foreach (var header in cookieHeaders)
        {
            if (header.Contains(cookieName, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The Cookie header values without the named cookie (Portico's session cookie), pairs joined by "; ".</summary>
    public static string WithoutCookie(HeaderStringValues cookieHeaders, string cookieName)
    {
        // Every request of a browser carries the session cookie, so this is built in place: each
        // pair at most gains a space after its ';', and one header more needs one "; " more.
        var capacity = 0;
        foreach (var header in cookieHeaders)
        {
            capacity += (2 * header.Length) + 2;
        }

        char[]? rented = null;
        Span<char> kept = capacity <= 1024 ? stackalloc char[capacity] : (rented = ArrayPool<char>.Shared.Rent(capacity));
        var length = 0;
        foreach (var header in cookieHeaders)
        {
            foreach (var range in header.AsSpan().Split(';'))
            {
                var pair = header.AsSpan(range).Trim();
                if (pair.Length == 0 || IsCookie(pair, cookieName))
                {
                    continue;
                }

                if (length > 0)
                {
                    kept[length++] = ';';
                    kept[length++] = ' ';
                }

                pair.CopyTo(kept[length..]);
                length += pair.Length;
            }
        }

        var result = kept[..length].ToString();
        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
        }

        return result;
    }

    private static bool IsCookie(ReadOnlySpan<char> pair, string cookieName)
    {
        var eq = pair.IndexOf('=');
        return (eq < 0 ? pair : pair[..eq]).Trim().SequenceEqual(cookieName);
    }
}
