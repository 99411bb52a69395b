namespace Portico.Cors;

/// <summary>
/// Qlik's "host allow list" (<c>websocketCrossOriginWhiteList</c>), one list for CORS and WebSockets.
/// Entries: a bare host (Qlik's meaning: that host with any scheme and port), a full origin (exact),
/// or a wildcard subdomain <c>*.example.com</c> (whole labels below the apex only).
/// </summary>
internal sealed class OriginAllowList
{
    private readonly HashSet<string> _hosts;
    private readonly HashSet<WebOrigin> _origins;
    private readonly List<(string? Scheme, string Suffix, int? Port)> _wildcards;

    private OriginAllowList(HashSet<string> hosts, HashSet<WebOrigin> origins, List<(string?, string, int?)> wildcards)
    {
        _hosts = hosts;
        _origins = origins;
        _wildcards = wildcards;
    }

    public static OriginAllowList Empty { get; } = new([], [], []);

    public bool IsEmpty => _hosts.Count == 0 && _origins.Count == 0 && _wildcards.Count == 0;

    /// <summary>Entries that admit plain-http pages too (bare hosts): worth a warning, as a network attacker can serve those.</summary>
    public IReadOnlyCollection<string> BareHosts => _hosts;

    /// <summary>Wildcard entries without a scheme, which admit plain-http pages too.</summary>
    public IReadOnlyCollection<string> SchemelessWildcards => _wildcards.Where(w => w.Scheme is null).Select(w => "*." + w.Suffix).ToList();

    /// <returns>Null with every error when an entry is invalid.</returns>
    public static OriginAllowList? TryCreate(IEnumerable<string> entries, out IReadOnlyList<string> errors)
    {
        var hosts = new HashSet<string>(StringComparer.Ordinal);
        var origins = new HashSet<WebOrigin>();
        var wildcards = new List<(string?, string, int?)>();
        var found = new List<string>();
        foreach (var raw in entries)
        {
            var entry = raw?.Trim() ?? "";
            var error = Add(entry, hosts, origins, wildcards);
            if (error is not null)
            {
                found.Add($"\"{raw}\": {error}");
            }
        }

        errors = found;
        return found.Count == 0 ? new OriginAllowList(hosts, origins, wildcards) : null;
    }

    /// <summary>RFC 6454 comparison of a request's Origin against the entries. "null" and malformed origins never match.</summary>
    public bool Allows(WebOrigin origin)
    {
        if (_origins.Contains(origin) || _hosts.Contains(origin.Host))
        {
            return true;
        }

        foreach (var (scheme, suffix, port) in _wildcards)
        {
            // "*.example.com" matches "a.example.com" and "a.b.example.com", never "example.com",
            // "evilexample.com" or "example.com.evil.net": the match is on whole labels.
            if (origin.Host.Length > suffix.Length
                && origin.Host.EndsWith(suffix, StringComparison.Ordinal)
                && origin.Host[origin.Host.Length - suffix.Length - 1] == '.'
                && (scheme is null || scheme == origin.Scheme)
                && (port is null || port == origin.Port))
            {
                return true;
            }
        }

        return false;
    }

    private static string? Add(string entry, HashSet<string> hosts, HashSet<WebOrigin> origins, List<(string?, string, int?)> wildcards)
    {
        if (entry.Length == 0)
        {
            return "is empty";
        }

        if (entry == "*")
        {
            return "\"*\" would let every site read responses with the user's credentials; list the mashup origins instead";
        }

        if (entry.Equals("null", StringComparison.OrdinalIgnoreCase))
        {
            return "\"null\" is the origin of sandboxed and file pages and is never trusted";
        }

        var schemeEnd = entry.IndexOf("://", StringComparison.Ordinal);
        string? scheme = null;
        var rest = entry;
        if (schemeEnd >= 0)
        {
            scheme = entry[..schemeEnd].ToLowerInvariant();
            rest = entry[(schemeEnd + 3)..];
            if (scheme is not ("http" or "https"))
            {
                return "only http and https origins can be listed";
            }
        }

        if (rest.StartsWith("*.", StringComparison.Ordinal))
        {
            var (suffix, port, error) = HostAndPort(rest[2..]);
            if (error is not null)
            {
                return error;
            }

            if (!suffix!.Contains('.', StringComparison.Ordinal))
            {
                return "a wildcard needs at least two labels after \"*.\" (e.g. \"*.example.com\"), or it would cover a whole top-level domain";
            }

            // Like a full origin, "https://*.example.com" means the scheme's default port; only the
            // schemeless Qlik-style form admits any scheme and port.
            wildcards.Add((scheme, suffix, port ?? (scheme is null ? null : scheme == "https" ? 443 : 80)));
            return null;
        }

        if (rest.Contains('*', StringComparison.Ordinal))
        {
            return "\"*\" is only allowed as the whole first label (\"*.example.com\")";
        }

        if (scheme is null)
        {
            var (host, port, error) = HostAndPort(rest);
            if (error is not null)
            {
                return error;
            }

            if (port is not null)
            {
                return "a host with a port needs its scheme too; write \"https://" + rest + "\"";
            }

            hosts.Add(host!);
            return null;
        }

        if (WebOrigin.Parse(entry) is not { } origin)
        {
            return "is not an origin; write scheme://host[:port] with no path, e.g. \"https://mashup.example.com\"";
        }

        origins.Add(origin);
        return null;
    }

    private static (string? Host, int? Port, string? Error) HostAndPort(string value)
    {
        if (value.Contains('/', StringComparison.Ordinal) || value.Length == 0)
        {
            return (null, null, "is not a host name; write a host such as \"mashup.example.com\" (no path)");
        }

        if (!Uri.TryCreate("https://" + value, UriKind.Absolute, out var uri) || uri.PathAndQuery != "/" || uri.UserInfo.Length > 0)
        {
            return (null, null, "is not a host name; write a host such as \"mashup.example.com\"");
        }

        int? port = value.EndsWith(":" + uri.Port, StringComparison.Ordinal) ? uri.Port : null;
        return (uri.IdnHost.ToLowerInvariant(), port, null);
    }
}
