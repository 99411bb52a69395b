namespace Portico.Csrf;

/// <summary>
/// enigma.js's published JWT example appends the token to the path with '&amp;' and no '?':
/// <c>/app/engineData&amp;qlik-csrf-token=…</c>. The marker is cut from the raw path before the path is
/// normalized, so the one normalized path that selects the virtual proxy, decides authentication and
/// is forwarded never contains it: <c>/x/..&amp;qlik-csrf-token=Z/qps/user</c> is <c>/x/../qps/user</c>,
/// and cannot reach an engine as <c>/qps/user</c> after being judged as something else.
/// </summary>
internal static class CsrfPathMarker
{
    public const string Marker = "&" + CsrfTokenLocation.Name + "=";

    /// <param name="rawPath">The request target's path, still percent-encoded.</param>
    public static CsrfPathMarkerResult Extract(string rawPath)
    {
        var start = rawPath.IndexOf(Marker, StringComparison.OrdinalIgnoreCase);
        if (start < 0)
        {
            return new CsrfPathMarkerResult(rawPath, null, null);
        }

        // 1. Once: a second marker would leave one of them, and its value, in the path.
        if (rawPath.IndexOf(Marker, start + Marker.Length, StringComparison.OrdinalIgnoreCase) >= 0)
        {
            return new CsrfPathMarkerResult(rawPath, null, "the path carries qlik-csrf-token more than once");
        }

        // 2. The value ends at the next path separator or '&'; the rest of the path stays as it was.
        var valueStart = start + Marker.Length;
        var end = rawPath.IndexOfAny(['/', '&'], valueStart);
        var value = end < 0 ? rawPath[valueStart..] : rawPath[valueStart..end];
        var path = rawPath[..start] + (end < 0 ? "" : rawPath[end..]);
        return new CsrfPathMarkerResult(path.Length == 0 ? "/" : path, Uri.UnescapeDataString(value), null);
    }

    /// <summary>True when a normalized (decoded) path still holds the marker: it came percent-encoded, and is refused rather than guessed at.</summary>
    public static bool Remains(string normalizedPath) => normalizedPath.Contains(Marker, StringComparison.OrdinalIgnoreCase);
}

/// <summary>The raw path without the marker, the token it carried (null when none), or why the path is refused.</summary>
internal readonly record struct CsrfPathMarkerResult(string Path, string? Token, string? Error);
