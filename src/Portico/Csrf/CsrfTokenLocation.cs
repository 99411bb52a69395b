using Portico.Http;

namespace Portico.Csrf;

/// <summary>
/// Where a client puts the token: the <c>qlik-csrf-token</c> query parameter (browsers and Qlik's
/// clients), the request header of that name (other clients), or, as enigma.js's published JWT
/// example does, appended to the path with '&amp;' and no '?'. Wherever it was, it is removed from
/// what the engine sees.
/// </summary>
internal static class CsrfTokenLocation
{
    public const string Name = "qlik-csrf-token";
    private const string PathMarker = "&" + Name + "=";

    public static CsrfTokenPresented Extract(PathString path, QueryString query, IHeaderDictionary headers)
    {
        // Most requests carry no token anywhere: say so without parsing or allocating.
        if (headers[Name].Count == 0
            && !QueryStrings.MightContain(query, "csrf")
            && !(path.Value?.Contains(PathMarker, StringComparison.OrdinalIgnoreCase) ?? false))
        {
            return new CsrfTokenPresented(null, false, path, query);
        }

        var found = new List<string>();
        foreach (var value in headers[Name])
        {
            if (!string.IsNullOrEmpty(value))
            {
                found.Add(value);
            }
        }

        found.AddRange(QueryStrings.FindAll(query, IsTokenName).Where(v => v.Length > 0));

        var cleanPath = path;
        var pathValue = path.Value ?? "";
        var marker = pathValue.IndexOf(PathMarker, StringComparison.OrdinalIgnoreCase);
        if (marker >= 0)
        {
            var valueStart = marker + PathMarker.Length;
            var end = pathValue.IndexOfAny(['&', '/'], valueStart);
            found.Add(end < 0 ? pathValue[valueStart..] : pathValue[valueStart..end]);
            cleanPath = new PathString(pathValue[..marker] + (end < 0 ? "" : pathValue[end..]));
        }

        // Several different values cannot all be right; none of them is believed.
        var distinct = found.Distinct(StringComparer.Ordinal).ToList();
        var token = distinct.Count == 1 ? distinct[0] : null;
        return new CsrfTokenPresented(token, distinct.Count > 0, cleanPath, QueryStrings.Without(query, IsTokenName));
    }

    private static bool IsTokenName(string name) => name.Equals(Name, StringComparison.OrdinalIgnoreCase);
}

/// <summary>The token a request carried (null when absent or ambiguous), and its path and query without it.</summary>
internal readonly record struct CsrfTokenPresented(string? Token, bool AnyPresented, PathString PathWithoutToken, QueryString QueryWithoutToken);
