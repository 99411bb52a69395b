namespace Portico.Tests.Functional.Sessions;

/// <summary>One Set-Cookie response header split into name, value and attributes, read the way RFC 6265 section 5.2 reads it.</summary>
internal sealed record SetCookieHeader(string Raw, string Name, string Value, IReadOnlyDictionary<string, string> Attributes)
{
    /// <summary>Attribute names compare without case; a flag such as HttpOnly has the empty string as its value.</summary>
    public bool Has(string attribute) => Attributes.ContainsKey(attribute);

    public string? this[string attribute] => Attributes.TryGetValue(attribute, out var value) ? value : null;

    public static SetCookieHeader Parse(string header)
    {
        var parts = header.Split(';');
        var eq = parts[0].IndexOf('=', StringComparison.Ordinal);
        Assert.True(eq > 0, $"Set-Cookie without a name: {header}");
        var attributes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in parts.Skip(1))
        {
            var attributeEq = part.IndexOf('=', StringComparison.Ordinal);
            var name = (attributeEq < 0 ? part : part[..attributeEq]).Trim();
            Assert.False(attributes.ContainsKey(name), $"attribute {name} given twice: {header}");
            attributes[name] = attributeEq < 0 ? "" : part[(attributeEq + 1)..].Trim();
        }

        return new SetCookieHeader(header, parts[0][..eq].Trim(), parts[0][(eq + 1)..].Trim(), attributes);
    }

    public static IReadOnlyList<SetCookieHeader> All(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values.Select(Parse).ToList() : [];

    /// <summary>The single Set-Cookie for <paramref name="name"/>; fails when there is none or more than one.</summary>
    public static SetCookieHeader Single(HttpResponseMessage response, string name)
    {
        var matching = All(response).Where(c => c.Name == name).ToList();
        Assert.True(matching.Count == 1, $"expected one Set-Cookie for {name}, got {matching.Count}: {string.Join(" | ", All(response).Select(c => c.Raw))}");
        return matching[0];
    }
}
