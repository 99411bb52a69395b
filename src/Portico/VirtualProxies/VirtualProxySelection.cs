namespace Portico.VirtualProxies;

/// <summary>Which virtual proxy a normalized path belongs to, and the path that remains once its prefix is removed.</summary>
internal readonly record struct VirtualProxySelection(VirtualProxy VirtualProxy, string RemainingPath);
