using Microsoft.Extensions.Primitives;
using Portico.Configuration;

namespace Portico.ResponseHeaders;

/// <summary>
/// The headers added to every HTTPS response of one virtual proxy, computed once per configuration
/// snapshot so a request only copies them.
/// </summary>
internal sealed class ResponseHeaderSet
{
    private readonly KeyValuePair<string, StringValues>[] _headers;

    private ResponseHeaderSet(KeyValuePair<string, StringValues>[] headers) => _headers = headers;

    public IReadOnlyList<KeyValuePair<string, StringValues>> Headers => _headers;

    /// <summary>Only HSTS: for Portico's answers to requests that belong to no virtual proxy.</summary>
    public static ResponseHeaderSet ForNoVirtualProxy(HstsConfig hsts) =>
        HstsHeader.ValueFor(hsts) is { } value ? new([new(HstsHeader.Name, value)]) : new([]);

    /// <summary>The global HSTS policy, unless the virtual proxy's own lines set Strict-Transport-Security, then its lines.</summary>
    public static ResponseHeaderSet For(HstsConfig hsts, IReadOnlyList<HeaderLine> additionalLines)
    {
        var headers = new List<KeyValuePair<string, StringValues>>();
        var ownHsts = additionalLines.Any(l => string.Equals(l.Name, HstsHeader.Name, StringComparison.OrdinalIgnoreCase));
        if (!ownHsts && HstsHeader.ValueFor(hsts) is { } hstsValue)
        {
            headers.Add(new(HstsHeader.Name, hstsValue));
        }

        headers.AddRange(additionalLines.Select(l => new KeyValuePair<string, StringValues>(l.Name, l.Value)));
        return new ResponseHeaderSet([.. headers]);
    }

    /// <summary>Sets each header, replacing what the engine sent under the same name: the admin's value wins.</summary>
    public void ApplyTo(IHeaderDictionary responseHeaders)
    {
        foreach (var (name, value) in _headers)
        {
            responseHeaders[name] = value;
        }
    }
}
