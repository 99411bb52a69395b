using Portico.Configuration;

namespace Portico.Authentication.Oidc;

/// <summary>An OIDC virtual proxy's settings as the login uses them, made once per configuration snapshot.</summary>
internal sealed record OidcSettings
{
    public required string ConfigurationEndpoint { get; init; }

    public required string ClientId { get; init; }

    /// <summary>Never logged, audited or shown.</summary>
    public required string ClientSecret { get; init; }

    public required string Realm { get; init; }

    public required string Scope { get; init; }

    /// <summary>Full path of the CA file the provider's certificate must chain to; null for the system's trust store.</summary>
    public string? TrustedCaFile { get; init; }

    public required OidcClaimMap Claims { get; init; }

    /// <returns>Null when the config does not describe a usable OIDC virtual proxy (validation reports why).</returns>
    public static OidcSettings? FromConfig(VirtualProxyConfig vp, Func<string, string> resolvePath, Func<string, string?> environment)
    {
        if (vp.AuthenticationMethod != AuthenticationMethod.Oidc
            || string.IsNullOrWhiteSpace(vp.OidcConfigurationEndpointUri)
            || string.IsNullOrWhiteSpace(vp.OidcClientId)
            || string.IsNullOrWhiteSpace(vp.OidcRealm)
            || OidcClientSecret.Resolve(vp, resolvePath, environment, out _) is not { } secret)
        {
            return null;
        }

        return new OidcSettings
        {
            ConfigurationEndpoint = vp.OidcConfigurationEndpointUri,
            ClientId = vp.OidcClientId,
            ClientSecret = secret,
            Realm = vp.OidcRealm,
            Scope = ScopeWithOpenId(vp.OidcScope),
            TrustedCaFile = string.IsNullOrWhiteSpace(vp.OidcTrustedCaFile) ? null : resolvePath(vp.OidcTrustedCaFile),
            Claims = OidcClaimMap.FromConfig(vp),
        };
    }

    /// <summary>OpenID Connect Core §3.1.2.1: without "openid" the request is plain OAuth and carries no id_token.</summary>
    public static string ScopeWithOpenId(string? scope)
    {
        var scopes = (scope ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();
        if (!scopes.Contains("openid", StringComparer.Ordinal))
        {
            scopes.Insert(0, "openid");
        }

        return string.Join(' ', scopes);
    }
}
