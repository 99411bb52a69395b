using Portico.Configuration;
using Portico.ResponseHeaders;

namespace Portico.VirtualProxies;

/// <summary>A virtual proxy as the request path uses it: its config plus everything precomputed from it.</summary>
internal sealed class VirtualProxy
{
    public VirtualProxy(VirtualProxyConfig config, ResponseHeaderSet responseHeaders)
    {
        Config = config;
        ResponseHeaders = responseHeaders;
        PathBase = config.Prefix.Length == 0 ? "" : "/" + config.Prefix;
        RouteId = "vp:" + (config.Prefix.Length == 0 ? "(default)" : config.Prefix);
        ProtectedRequestHeaders = string.IsNullOrEmpty(config.HeaderAuthenticationHeaderName) ? [] : [config.HeaderAuthenticationHeaderName];
    }

    public VirtualProxyConfig Config { get; }

    public string Prefix => Config.Prefix;

    /// <summary>"/sales" for prefix "sales"; empty for the default virtual proxy.</summary>
    public string PathBase { get; }

    /// <summary>Names the forwarding route and cluster of this virtual proxy.</summary>
    public string RouteId { get; }

    public string DisplayName => Prefix.Length == 0 ? "(default)" : Prefix;

    public ResponseHeaderSet ResponseHeaders { get; }

    /// <summary>Client request headers, beyond Qlik's identity headers, that never reach the engine.</summary>
    public IReadOnlyCollection<string> ProtectedRequestHeaders { get; }
}
