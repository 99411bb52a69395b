namespace Portico.VirtualProxies;

/// <summary>Set on the request once its virtual proxy is known; every later step reads it from here.</summary>
internal sealed class VirtualProxyFeature(VirtualProxy virtualProxy)
{
    public VirtualProxy VirtualProxy { get; } = virtualProxy;
}
