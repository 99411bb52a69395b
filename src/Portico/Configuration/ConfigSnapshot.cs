using System.Collections.Frozen;
using Portico.Cors;
using Portico.Forwarding;
using Portico.ResponseHeaders;
using Portico.VirtualProxies;

namespace Portico.Configuration;

/// <summary>
/// A validated configuration with everything the request path needs precomputed. Immutable: a
/// reload builds a new snapshot and swaps it in whole, so requests never lock or see half a change.
/// </summary>
internal sealed class ConfigSnapshot
{
    private ConfigSnapshot(PorticoConfig config, string baseDirectory, long version, string? contentHash)
    {
        ContentHash = contentHash;
        Config = config;
        BaseDirectory = baseDirectory;
        Version = version;
        NoVirtualProxyHeaders = ResponseHeaderSet.ForNoVirtualProxy(config.Hsts);
        // A trusted-header name is stripped on every virtual proxy, not only its own: an engine
        // shared with a header virtual proxy must never see a client's copy of it.
        var headerAuthenticationHeaders = config.VirtualProxies
            .Select(vp => vp.HeaderAuthenticationHeaderName)
            .OfType<string>()
            .Where(name => name.Length > 0)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToArray();
        var sessionCookieNames = config.VirtualProxies
            .Select(vp => vp.SessionCookieHeaderName)
            .Where(name => !string.IsNullOrEmpty(name))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToArray();
        var warnings = new List<string>();
        VirtualProxies = new VirtualProxyTable(config.VirtualProxies.Select((vp, i) =>
        {
            var lines = AdditionalHeaderParser.Parse(vp.AdditionalResponseHeaders).Lines;
            var corsLines = CorsHeaderLines.Extract(lines);
            var allowList = OriginAllowList.TryCreate([.. vp.WebsocketCrossOriginWhiteList, .. corsLines.Origins], out _) ?? OriginAllowList.Empty;
            warnings.AddRange(corsLines.Warnings.Select(w => $"virtualProxies[{i}].additionalResponseHeaders: {w}"));
            warnings.AddRange(allowList.BareHosts.Concat(allowList.SchemelessWildcards).Select(h =>
                $"virtualProxies[{i}].websocketCrossOriginWhiteList: \"{h}\" admits that host on any scheme and port, plain-http pages included; list \"https://{h}\" to admit only HTTPS pages"));
            var headers = ResponseHeaderSet.For(config.Hsts, lines.Where(l => !CorsHeaderLines.IsCorsHeader(l.Name)).ToList());
            return new VirtualProxy(vp, headers, headerAuthenticationHeaders, new CorsPolicy(allowList, corsLines), sessionCookieNames);
        }).ToList());
        ProxyId = ProxyIdentity.Of(config);
        EngineBindings = BuildEngineBindings(warnings);
        Warnings = warnings;
    }

    /// <summary>Qlik's proxy id, sent to engines in X-Qlik-ProxyId.</summary>
    public Guid ProxyId { get; }

    /// <summary>Each virtual proxy's engine connection (by route id): header values, TLS material, token issuer.</summary>
    public FrozenDictionary<string, EngineBinding> EngineBindings { get; }

    public PorticoConfig Config { get; }

    /// <summary>Folder that relative paths in <see cref="Config"/> are resolved against.</summary>
    public string BaseDirectory { get; }

    public long Version { get; }

    /// <summary>Hash of the file this snapshot was read from, so an unchanged file is not applied again.</summary>
    public string? ContentHash { get; }

    public VirtualProxyTable VirtualProxies { get; }

    public ResponseHeaderSet NoVirtualProxyHeaders { get; }

    /// <summary>Things that work but deserve the admin's attention (logged at start-up and on reload).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <param name="validConfig">A configuration that passed <see cref="ConfigValidator"/>.</param>
    public static ConfigSnapshot Create(PorticoConfig validConfig, string baseDirectory, long version, string? contentHash = null) =>
        new(validConfig, baseDirectory, version, contentHash);

    public string ResolvePath(string path) => Path.GetFullPath(path, BaseDirectory);

    private FrozenDictionary<string, EngineBinding> BuildEngineBindings(List<string> warnings)
    {
        // Loaded once per setting: the virtual proxies that use the global one share its
        // certificates, key and token cache.
        var loaded = new Dictionary<EngineConnectionConfig, (EngineTls Tls, EngineTokenIssuer? Tokens)>(ReferenceEqualityComparer.Instance);
        var bindings = new Dictionary<string, EngineBinding>(StringComparer.Ordinal);
        for (var i = 0; i < VirtualProxies.All.Count; i++)
        {
            var vp = VirtualProxies.All[i];
            var own = vp.Config.EngineConnection is not null;
            var connection = vp.Config.EngineConnection ?? Config.EngineConnection;
            var field = own ? $"virtualProxies[{i}].engineConnection" : "engineConnection";
            if (!loaded.TryGetValue(connection, out var material))
            {
                var problems = new List<string>();
                material = EngineBinding.Load(connection, ResolvePath, problems);
                loaded[connection] = material;
                warnings.AddRange(problems.Select(p => $"{field}.{p}; engines of the virtual proxies that use it refuse Portico until this is fixed"));
                if (connection.DangerouslyAcceptAnyServerCertificate)
                {
                    warnings.Add($"{field}.dangerouslyAcceptAnyServerCertificate is true: any engine certificate is accepted, so anyone between Portico and the engines can read and change their traffic, users' identities included; set trustedRootPath (Qlik's root.pem) or trustedServerThumbprints");
                }
            }

            bindings[vp.RouteId] = new EngineBinding(ProxyId, vp.Prefix, material.Tls, connection.Authentication, material.Tokens);
        }

        return bindings.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
