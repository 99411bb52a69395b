namespace Portico.Http;

/// <summary>Reads and removes query parameters on the raw query string, leaving every other parameter byte for byte as the client sent it.</summary>
internal static class QueryStrings
{
    /// <summary>The first value of a parameter whose decoded name matches, or null.</summary>
    public static string? Find(QueryString query, Func<string, bool> nameMatches)
    {
        foreach (var (name, value) in Pairs(query.Value))
        {
            if (nameMatches(name))
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>Every value of parameters whose decoded name matches, in order.</summary>
    public static IReadOnlyList<string> FindAll(QueryString query, Func<string, bool> nameMatches) =>
        Pairs(query.Value).Where(p => nameMatches(p.Name)).Select(p => p.Value).ToList();

    /// <summary>
    /// Cheap pre-check before parsing: could a parameter named <paramref name="nameFragment"/> be in
    /// the query? Any percent-escape could hide the name, so it also says yes when there is one.
    /// </summary>
    public static bool MightContain(QueryString query, string nameFragment) =>
        query.Value is { } value && (value.Contains(nameFragment, StringComparison.OrdinalIgnoreCase) || value.Contains('%', StringComparison.Ordinal));

    public static QueryString Without(QueryString query, Func<string, bool> nameMatches)
    {
        if (!query.HasValue)
        {
            return query;
        }

        var kept = query.Value!.TrimStart('?').Split('&').Where(part => part.Length > 0 && !nameMatches(Decode(NameOf(part))));
        var rebuilt = string.Join('&', kept);
        return rebuilt.Length == 0 ? QueryString.Empty : new QueryString("?" + rebuilt);
    }

    private static IEnumerable<(string Name, string Value)> Pairs(string? query)
    {
        if (string.IsNullOrEmpty(query))
        {
            yield break;
        }

        foreach (var part in query.TrimStart('?').Split('&'))
        {
            if (part.Length == 0)
            {
                continue;
            }

            var eq = part.IndexOf('=', StringComparison.Ordinal);
            yield return eq < 0 ? (Decode(part), "") : (Decode(part[..eq]), Decode(part[(eq + 1)..]));
        }
    }

    private static string NameOf(string part)
    {
        var eq = part.IndexOf('=', StringComparison.Ordinal);
        return eq < 0 ? part : part[..eq];
    }

    private static string Decode(string value)
    {
        try
        {
            return Uri.UnescapeDataString(value.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            return value;
        }
    }
}
