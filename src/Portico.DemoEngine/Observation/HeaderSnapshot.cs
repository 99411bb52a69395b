using Microsoft.AspNetCore.Http;

namespace Portico.DemoEngine.Observation;

/// <summary>Flattens request headers into the form tests compare against: lower-case names, values joined with ", ".</summary>
internal static class HeaderSnapshot
{
    public static Dictionary<string, string> Capture(IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var snapshot = new Dictionary<string, string>(headers.Count, StringComparer.Ordinal);
        foreach (var (name, values) in headers)
        {
#pragma warning disable CA1308 // Lower case is the documented contract (HTTP/2 style), not a normalisation for comparison.
            snapshot[name.ToLowerInvariant()] = string.Join(", ", values.ToArray());
#pragma warning restore CA1308
        }

        return snapshot;
    }
}
