using System.Collections.Frozen;
using System.Collections.Immutable;
using Portico.Authentication.Header;
using Portico.Authentication.Jwt;
using Portico.Authentication.Saml;
using Portico.Configuration;
using Portico.Cors;
using Portico.ResponseHeaders;

namespace Portico.VirtualProxies;

/// <summary>A virtual proxy as the request path uses it: its config plus everything precomputed from it.</summary>
internal sealed class VirtualProxy
{
    /// <param name="headerAuthenticationHeaders">The authentication header names of every virtual proxy: none of them may reach an engine.</param>
    /// <param name="sessionCookieNames">The session cookie names of every virtual proxy: none of them may reach an engine.</param>
    public VirtualProxy(VirtualProxyConfig config, ResponseHeaderSet responseHeaders, IReadOnlyCollection<string>? headerAuthenticationHeaders = null, CorsPolicy? cors = null, IReadOnlyCollection<string>? sessionCookieNames = null)
    {
        Config = config;
        ResponseHeaders = responseHeaders;
        Cors = cors ?? new CorsPolicy(OriginAllowList.Empty);
        PathBase = config.Prefix.Length == 0 ? "" : "/" + config.Prefix;
        RouteId = "vp:" + (config.Prefix.Length == 0 ? "(default)" : config.Prefix);
        var authenticationHeaders = headerAuthenticationHeaders
            ?? (string.IsNullOrEmpty(config.HeaderAuthenticationHeaderName) ? [] : [config.HeaderAuthenticationHeaderName]);
        EngineProtectedHeaders = authenticationHeaders.Select(Forwarding.EngineRequestHeaders.Canonical).ToFrozenSet(StringComparer.Ordinal);
        SessionCookieNames = [.. (sessionCookieNames ?? [config.SessionCookieHeaderName]).Append(config.SessionCookieHeaderName).Distinct(StringComparer.OrdinalIgnoreCase)];

        // Parsed once per snapshot; the config rules have already refused anything that does not parse.
        if (config.AuthenticationMethod == AuthenticationMethod.Jwt && JwtSigningKey.TryParse(config.JwtPublicKeyCertificate, out _) is { } key)
        {
            Jwt = JwtValidationPolicy.FromConfig(config, key);
        }

        if (config.AuthenticationMethod == AuthenticationMethod.Saml)
        {
            Saml = SamlServiceProvider.FromConfig(config);
        }

        if (config.AuthenticationMethod == AuthenticationMethod.HeaderDynamicUserDirectory)
        {
            HeaderPattern = DynamicUserDirectoryPattern.TryParse(config.HeaderAuthenticationDynamicUserDirectory, out _);
        }

        if (config.HeaderAuthenticationTrustedNetworks.Count > 0)
        {
            // Fail closed: a list that does not parse trusts no network (validation refuses it anyway).
            HeaderTrustedNetworks = TrustedNetworks.TryParse(config.HeaderAuthenticationTrustedNetworks, out _)
                ?? TrustedNetworks.TryParse([], out _);
        }
    }

    /// <summary>How bearer tokens are validated; set only on JWT virtual proxies.</summary>
    public JwtValidationPolicy? Jwt { get; }

    /// <summary>The SAML service provider; set only on SAML virtual proxies.</summary>
    public SamlServiceProvider? Saml { get; }

    /// <summary>The dynamic user directory pattern of a header virtual proxy (method 2).</summary>
    public DynamicUserDirectoryPattern? HeaderPattern { get; }

    /// <summary>Where the authentication header is trusted from; null trusts every source.</summary>
    public TrustedNetworks? HeaderTrustedNetworks { get; }

    public bool IsHeaderAuthentication =>
        Config.AuthenticationMethod is AuthenticationMethod.HeaderStaticUserDirectory or AuthenticationMethod.HeaderDynamicUserDirectory;

    public VirtualProxyConfig Config { get; }

    public string Prefix => Config.Prefix;

    /// <summary>"/sales" for prefix "sales"; empty for the default virtual proxy.</summary>
    public string PathBase { get; }

    /// <summary>Names the forwarding route and cluster of this virtual proxy.</summary>
    public string RouteId { get; }

    public string DisplayName => Prefix.Length == 0 ? "(default)" : Prefix;

    public ResponseHeaderSet ResponseHeaders { get; }

    /// <summary>The host allow list and CORS answers; also what the WebSocket origin check uses.</summary>
    public CorsPolicy Cors { get; }

    /// <summary>How long an engine connection may be quiet before it is closed.</summary>
    public TimeSpan EngineIdleTimeout => EngineIdleTimeoutOf(Config);

    /// <summary>The configured engine idle timeout, or the session inactivity timeout: a quiet socket lives as long as its session.</summary>
    public static TimeSpan EngineIdleTimeoutOf(VirtualProxyConfig config)
    {
        var timeout = config.EngineIdleTimeoutSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : TimeSpan.FromMinutes(config.SessionInactivityTimeout);

        // The forwarder keeps the timeout in whole milliseconds of an int (about 24.8 days).
        return timeout < MaxEngineIdleTimeout ? timeout : MaxEngineIdleTimeout;
    }

    /// <summary>The longest engine idle timeout the forwarder can keep.</summary>
    public static readonly TimeSpan MaxEngineIdleTimeout = TimeSpan.FromDays(24);

    /// <summary>Canonical names of every virtual proxy's authentication header: a client's copy never reaches an engine.</summary>
    public FrozenSet<string> EngineProtectedHeaders { get; }

    /// <summary>Every virtual proxy's session cookie name: a session id of any of them never reaches an engine.</summary>
    public ImmutableArray<string> SessionCookieNames { get; }
}
