using System.Text;
using Portico.Configuration;

namespace Portico.Sessions;

/// <summary>
/// Builds the Set-Cookie header of a virtual proxy's session cookie. Written by hand because the
/// attributes are all security decisions: HttpOnly always; Secure always on HTTPS (sessions are only
/// ever served over HTTPS, so Qlik's option to drop it would only weaken the cookie); an explicit
/// SameSite always (Qlik's "no attribute" becomes Lax, what browsers assume anyway); Partitioned
/// (CHIPS) when asked.
/// </summary>
internal static class SessionCookie
{
    public static string Issue(VirtualProxyConfig vp, string sessionId, bool isHttps) => Build(vp, sessionId, isHttps, expire: false);

    /// <summary>Clears the cookie in the browser (logout): same name, domain and path, expired.</summary>
    public static string Clear(VirtualProxyConfig vp, bool isHttps) => Build(vp, "", isHttps, expire: true);

    private static string Build(VirtualProxyConfig vp, string value, bool isHttps, bool expire)
    {
        var cookie = new StringBuilder();
        cookie.Append(vp.SessionCookieHeaderName).Append('=').Append(value).Append("; Path=/");
        if (!string.IsNullOrEmpty(vp.SessionCookieDomain))
        {
            cookie.Append("; Domain=").Append(vp.SessionCookieDomain);
        }

        if (expire)
        {
            cookie.Append("; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0");
        }

        var secure = isHttps;
        if (secure)
        {
            cookie.Append("; Secure");
        }

        cookie.Append("; HttpOnly");
        var sameSite = isHttps ? vp.SameSiteAttributeHttps : CookieSameSite.Lax;
        switch (sameSite)
        {
            case CookieSameSite.None when secure:
                cookie.Append("; SameSite=None");
                break;
            case CookieSameSite.None:
                // SameSite=None without Secure is dropped by browsers; Lax is the safe fallback.
                cookie.Append("; SameSite=Lax");
                break;
            case CookieSameSite.Strict:
                cookie.Append("; SameSite=Strict");
                break;
            default:
                cookie.Append("; SameSite=Lax");
                break;
        }

        if (vp.SessionCookiePartitioned && secure)
        {
            cookie.Append("; Partitioned");
        }

        return cookie.ToString();
    }

    /// <summary>
    /// The session id from the request's Cookie headers. Two different values under our name mean a
    /// cookie was planted beside ours (e.g. from a sibling domain): neither is trusted.
    /// </summary>
    public static string? ReadId(IHeaderDictionary requestHeaders, string cookieName)
    {
        // Read in place: this runs on every request, and only the id itself becomes a string.
        string? found = null;
        foreach (var header in requestHeaders.Cookie)
        {
            var rest = header.AsSpan();
            while (rest.Length > 0)
            {
                var end = rest.IndexOf(';');
                var part = end < 0 ? rest : rest[..end];
                rest = end < 0 ? [] : rest[(end + 1)..];
                var eq = part.IndexOf('=');
                if (eq <= 0 || !part[..eq].Trim().SequenceEqual(cookieName))
                {
                    continue;
                }

                var value = part[(eq + 1)..].Trim().Trim('"');
                if (found is null)
                {
                    found = value.ToString();
                }
                else if (!value.SequenceEqual(found))
                {
                    return null;
                }
            }
        }

        return SessionIds.IsWellFormed(found) ? found : null;
    }
}
