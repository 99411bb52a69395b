using Portico.Http;

namespace Portico.Csrf;

/// <summary>
/// Where a client puts the token: the <c>qlik-csrf-token</c> query parameter (browsers and Qlik's
/// clients), the request header of that name (other clients), or, as enigma.js's published JWT
/// example does, appended to the path with '&amp;' and no '?' (taken out of the raw path in step 1,
/// see <see cref="CsrfPathMarker"/>). Wherever it was, it is removed from what the engine sees.
/// </summary>
internal static class CsrfTokenLocation
{
    public const string Name = "qlik-csrf-token";

    /// <param name="pathToken">The token step 1 cut from the path; null when the path had none.</param>
    public static CsrfTokenPresented Extract(string? pathToken, QueryString query, IHeaderDictionary headers)
    {
        // Most requests carry no token anywhere: say so without parsing or allocating.
        if (headers[Name].Count == 0 && pathToken is null && !QueryStrings.MightContain(query, "csrf"))
        {
            return new CsrfTokenPresented(null, false, query);
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
        if (pathToken is not null)
        {
            found.Add(pathToken);
        }

        // Several different values cannot all be right; none of them is believed.
        var distinct = found.Distinct(StringComparer.Ordinal).ToList();
        var token = distinct.Count == 1 ? distinct[0] : null;
        return new CsrfTokenPresented(token, distinct.Count > 0, QueryStrings.Without(query, IsTokenName));
    }

    private static bool IsTokenName(string name) => name.Equals(Name, StringComparison.OrdinalIgnoreCase);
}

/// <summary>The token a request carried (null when absent or ambiguous), and its query without it.</summary>
internal readonly record struct CsrfTokenPresented(string? Token, bool AnyPresented, QueryString QueryWithoutToken);
