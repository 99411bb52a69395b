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

/// <summary>The forwarding headers Portico sets on the engine request (a struct: it is made for every request).</summary>
internal readonly record struct ForwardingHeaders(string? For, string Proto, string Host, string? Prefix)
{
    public const string ForName = "X-Forwarded-For";
    public const string ProtoName = "X-Forwarded-Proto";
    public const string HostName = "X-Forwarded-Host";
    public const string PrefixName = "X-Forwarded-Prefix";
}

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

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> DeniedNamesBySpan = DeniedNames.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <param name="protectedNames">Canonical names (<see cref="Canonical"/>) of every virtual proxy's authentication header, compared ordinally.</param>
    public static EngineHeaderVerdict Judge(string name, FrozenSet<string> protectedNames)
    {
        // Runs for every header of every forwarded request: the canonical name is built on the stack.
        var trimmed = name.AsSpan().Trim();
        Span<char> buffer = trimmed.Length <= 128 ? stackalloc char[trimmed.Length] : new char[trimmed.Length];
        var canonical = Canonicalize(trimmed, buffer);
        if (canonical.SequenceEqual("cookie"))
        {
            return EngineHeaderVerdict.FilterCookies;
        }

        if (DeniedNamesBySpan.Contains(canonical) || (protectedNames.Count > 0 && protectedNames.GetAlternateLookup<ReadOnlySpan<char>>().Contains(canonical)))
        {
            return EngineHeaderVerdict.Drop;
        }

        foreach (var prefix in DeniedPrefixes)
        {
            if (canonical.StartsWith(prefix, StringComparison.Ordinal))
            {
                return canonical.SequenceEqual(QlikXrfKey) ? EngineHeaderVerdict.Keep : EngineHeaderVerdict.Drop;
            }
        }

        return EngineHeaderVerdict.Keep;
    }

    /// <summary>Lower case, '_' as '-', without surrounding whitespace: the spelling two servers could disagree on.</summary>
    public static string Canonical(string name)
    {
        var trimmed = name.AsSpan().Trim();
        return Canonicalize(trimmed, new char[trimmed.Length]).ToString();
    }

    private static ReadOnlySpan<char> Canonicalize(ReadOnlySpan<char> name, Span<char> into)
    {
        for (var i = 0; i < name.Length; i++)
        {
            into[i] = name[i] == '_' ? '-' : char.ToLowerInvariant(name[i]);
        }

        return into[..name.Length];
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
    public static ForwardingHeaders Forwarding(IPAddress? client, string scheme, string publicHost, string pathBase) => new(
        client is null ? null : (client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client).ToString(),
        scheme,
        publicHost,
        pathBase.Length > 0 ? pathBase : null);

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
