using System.Buffers;
using System.Collections.Frozen;
using System.Net;

namespace Portico.Forwarding;

/// <summary>What happens to one client request header on its way to the engine.</summary>
internal enum EngineHeaderVerdict
{
    Keep,
    Drop,

    /// <summary>The Cookie header: kept without any virtual proxy's session cookie.</summary>
    FilterCookies,
}

/// <summary>One header Portico itself sets on the engine request.</summary>
internal readonly record struct EngineHeader(string Name, string Value);

/// <summary>
/// Decides what an engine sees of a client's request headers, and what Portico adds. Engines trust
/// what a proxy tells them (who the user is, where the request came from, which method it is), so
/// whole families of headers are denied by default, in every spelling: case, and '_' for '-', which
/// some servers treat alike. Session cookies of every virtual proxy are Portico's credentials and
/// never reach an engine. See docs/security.md, "What the engine sees".
/// </summary>
internal static class EngineRequestHeaders
{
    /// <summary>Families (by canonical prefix) a client may never set toward an engine.</summary>
    private static readonly string[] DeniedPrefixes =
    [
        "x-qlik-",          // identity and proxy headers the engine trusts (X-Qlik-User, -Security, -ProxySession, ...)
        "x-forwarded-",     // where the request came from: Portico says so itself
        "x-original-",      // X-Original-URL, -URI, -Host, -Method: path and host overrides some servers honour
    ];

    private static readonly FrozenSet<string> DeniedNames = FrozenSet.Create(StringComparer.Ordinal,
        "forwarded", "x-real-ip", "x-client-ip", "x-cluster-client-ip", "true-client-ip", "client-ip", "x-originating-ip",
        "x-rewrite-url",
        "x-http-method-override", "x-http-method", "x-method-override",
        "authorization", "proxy-authorization",
        "qlik-csrf-token");

    /// <summary>Kept despite its family: Qlik's REST anti-CSRF key means nothing as a credential, and Qlik's services check it.</summary>
    private const string QlikXrfKey = "x-qlik-xrfkey";

    /// <param name="protectedNames">Canonical names (<see cref="Canonical"/>) of every virtual proxy's authentication header.</param>
    public static EngineHeaderVerdict Judge(string name, IReadOnlySet<string> protectedNames)
    {
        var canonical = Canonical(name);
        if (canonical == "cookie")
        {
            return EngineHeaderVerdict.FilterCookies;
        }

        if (DeniedNames.Contains(canonical) || protectedNames.Contains(canonical))
        {
            return EngineHeaderVerdict.Drop;
        }

        foreach (var prefix in DeniedPrefixes)
        {
            if (canonical.StartsWith(prefix, StringComparison.Ordinal))
            {
                return canonical == QlikXrfKey ? EngineHeaderVerdict.Keep : EngineHeaderVerdict.Drop;
            }
        }

        return EngineHeaderVerdict.Keep;
    }

    /// <summary>Lower case, '_' as '-', without surrounding whitespace: the spelling two servers could disagree on.</summary>
    public static string Canonical(string name)
    {
        var trimmed = name.AsSpan().Trim();
        var needsWork = trimmed.Length != name.Length;
        foreach (var c in trimmed)
        {
            if (c == '_' || char.IsAsciiLetterUpper(c) || c > 0x7F)
            {
                needsWork = true;
                break;
            }
        }

        return needsWork ? string.Create(trimmed.Length, name, static (span, source) =>
        {
            var from = source.AsSpan().Trim();
            for (var i = 0; i < from.Length; i++)
            {
                span[i] = from[i] == '_' ? '-' : char.ToLowerInvariant(from[i]);
            }
        }) : name;
    }

    /// <summary>
    /// The Cookie header values without any of <paramref name="sessionCookieNames"/> (compared
    /// without regard to case: an engine might), pairs joined by "; "; empty when nothing is left.
    /// </summary>
    public static string FilterCookies(IEnumerable<string> cookieHeaders, IReadOnlyList<string> sessionCookieNames)
    {
        // A browser sends its session cookie with every request, so this is built in place: each
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
                if (pair.Length == 0 || IsSessionCookie(pair, sessionCookieNames))
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

    /// <summary>True when some Cookie header may hold a session cookie: most requests are then filtered without building anything.</summary>
    public static bool MayHoldSessionCookie(IEnumerable<string> cookieHeaders, IReadOnlyList<string> sessionCookieNames)
    {
        foreach (var header in cookieHeaders)
        {
            foreach (var name in sessionCookieNames)
            {
                if (header.Contains(name, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// The forwarding headers Portico sets: the client's address as Portico saw it, the scheme, the
    /// configured public host (never the client's Host) and the virtual proxy's prefix.
    /// </summary>
    public static EngineHeader[] Forwarding(IPAddress? client, string scheme, string publicHost, string pathBase)
    {
        var headers = new List<EngineHeader>(4);
        if (client is not null)
        {
            headers.Add(new("X-Forwarded-For", (client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client).ToString()));
        }

        headers.Add(new("X-Forwarded-Proto", scheme));
        headers.Add(new("X-Forwarded-Host", publicHost));
        if (pathBase.Length > 0)
        {
            headers.Add(new("X-Forwarded-Prefix", pathBase));
        }

        return [.. headers];
    }

    private static bool IsSessionCookie(ReadOnlySpan<char> pair, IReadOnlyList<string> sessionCookieNames)
    {
        var eq = pair.IndexOf('=');
        var name = (eq < 0 ? pair : pair[..eq]).Trim();
        foreach (var candidate in sessionCookieNames)
        {
            if (name.Equals(candidate, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
