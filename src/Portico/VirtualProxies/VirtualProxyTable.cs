namespace Portico.VirtualProxies;

/// <summary>Picks the virtual proxy of a normalized path: the first segment names a prefix, else the default (empty) prefix applies.</summary>
internal sealed class VirtualProxyTable
{
    private readonly Dictionary<string, VirtualProxy> _byPrefix;
    private readonly Dictionary<string, VirtualProxy>.AlternateLookup<ReadOnlySpan<char>> _byPrefixSegment;
    private readonly VirtualProxy? _default;

    public VirtualProxyTable(IEnumerable<VirtualProxy> virtualProxies)
    {
        All = virtualProxies.ToArray();
        _byPrefix = All.Where(vp => vp.Prefix.Length > 0).ToDictionary(vp => vp.Prefix, StringComparer.OrdinalIgnoreCase);
        _byPrefixSegment = _byPrefix.GetAlternateLookup<ReadOnlySpan<char>>();
        _default = All.FirstOrDefault(vp => vp.Prefix.Length == 0);
    }

    public IReadOnlyList<VirtualProxy> All { get; }

    /// <summary>The virtual proxy with exactly this prefix ("" for the default one), as the QPS API names them.</summary>
    public VirtualProxy? FindByPrefix(string prefix) =>
        prefix.Length == 0 ? _default : _byPrefix.GetValueOrDefault(prefix);

    /// <param name="normalizedPath">Output of <see cref="RequestPathNormalizer"/>: starts with '/', no dot or empty segments.</param>
    public VirtualProxySelection? Select(string normalizedPath)
    {
        // Whole-segment match: "/salesevil" is not under prefix "sales".
        var end = normalizedPath.IndexOf('/', 1);
        var firstSegment = end < 0 ? normalizedPath.AsSpan(1) : normalizedPath.AsSpan(1, end - 1);
        if (firstSegment.Length > 0 && _byPrefixSegment.TryGetValue(firstSegment, out var vp))
        {
            var remaining = end < 0 ? "/" : normalizedPath[end..];
            return new VirtualProxySelection(vp, remaining);
        }

        return _default is null ? null : new VirtualProxySelection(_default, normalizedPath);
    }
}
