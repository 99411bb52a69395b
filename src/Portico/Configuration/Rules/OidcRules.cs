using Portico.Authentication;
using Portico.Authentication.Oidc;

namespace Portico.Configuration.Rules;

/// <summary>
/// What an OIDC virtual proxy (authenticationMethod 5) needs: an https discovery URL, the client,
/// exactly one source of its secret, the realm (user directory) and the claim names.
/// </summary>
internal sealed class OidcRules(string baseDirectory, Func<string, string?>? environment = null) : IConfigRule
{
    private readonly Func<string, string?> _environment = environment ?? Environment.GetEnvironmentVariable;

    public void Check(PorticoConfig config, ConfigErrors errors)
    {
        for (var i = 0; i < config.VirtualProxies.Count; i++)
        {
            // A null entry is reported by VirtualProxyRules; other methods ignore the oidc* fields.
            if (config.VirtualProxies[i] is { AuthenticationMethod: AuthenticationMethod.Oidc } vp)
            {
                Check(vp, $"virtualProxies[{i}]", errors);
            }
        }
    }

    private void Check(VirtualProxyConfig vp, string path, ConfigErrors errors)
    {
        if (string.IsNullOrWhiteSpace(vp.OidcConfigurationEndpointUri))
        {
            errors.Add($"{path}.oidcConfigurationEndpointUri", "is required for OIDC (authenticationMethod 5); give the provider's discovery URL, e.g. \"https://login.example.com/.well-known/openid-configuration\"");
        }
        else if (!Uri.TryCreate(vp.OidcConfigurationEndpointUri, UriKind.Absolute, out var endpoint) || endpoint.Scheme != Uri.UriSchemeHttps
            || !string.IsNullOrEmpty(endpoint.Query) || !string.IsNullOrEmpty(endpoint.Fragment) || !string.IsNullOrEmpty(endpoint.UserInfo))
        {
            // Keys and endpoints come from this document: over plain http anyone on the path could choose them.
            errors.Add($"{path}.oidcConfigurationEndpointUri", "must be an absolute https URL without query, fragment or credentials, e.g. \"https://login.example.com/.well-known/openid-configuration\"");
        }

        if (string.IsNullOrWhiteSpace(vp.OidcClientId))
        {
            errors.Add($"{path}.oidcClientId", "is required for OIDC; give the client id registered at the provider");
        }

        if (vp.AnonymousAccessMode == AnonymousAccessMode.AlwaysAnonymous)
        {
            errors.Add($"{path}.anonymousAccessMode", "2 (AlwaysAnonymous) never logs anyone in through OIDC; use 0 or 1, or another authentication method");
        }

        OidcClientSecret.Resolve(vp, p => Path.GetFullPath(p, baseDirectory), _environment, out var secretError);
        if (secretError is { } error)
        {
            errors.Add($"{path}.{error.Field}", error.Message);
        }

        if (string.IsNullOrWhiteSpace(vp.OidcRealm))
        {
            errors.Add($"{path}.oidcRealm", "is required for OIDC: the user directory of every user of this virtual proxy, e.g. \"CORP\"");
        }
        else if (UserIdentityRule.CheckUserDirectory(vp.OidcRealm, "the realm") is { IsValid: false } realm)
        {
            errors.Add($"{path}.oidcRealm", $"{realm.Reason}; name the user directory the users belong to, e.g. \"CORP\"");
        }

        if (string.IsNullOrWhiteSpace(vp.OidcAttributeSub))
        {
            errors.Add($"{path}.oidcAttributeSub", "must name the claim that holds the user id, e.g. \"sub\"");
        }

        if (string.IsNullOrWhiteSpace(vp.OidcScope) || vp.OidcScope.Length > 1024 || vp.OidcScope.Any(c => c < 0x21 && c != ' ' || c is '"' or '\\' || c > 0x7e))
        {
            errors.Add($"{path}.oidcScope", "must be space-separated scope names (RFC 6749 §3.3), e.g. \"openid profile email\"");
        }

        for (var j = 0; j < vp.OidcAttributeMap.Count; j++)
        {
            var item = vp.OidcAttributeMap[j];
            if (item is null || string.IsNullOrWhiteSpace(item.OidcAttribute) || UserIdentityRule.CheckAttributeName(item.SenseAttribute, "senseAttribute") is { IsValid: false })
            {
                errors.Add($"{path}.oidcAttributeMap[{j}]", "needs oidcAttribute (a claim name) and senseAttribute (the attribute it becomes), e.g. {\"oidcAttribute\": \"department\", \"senseAttribute\": \"department\"}");
            }
        }

        if (!string.IsNullOrWhiteSpace(vp.OidcTrustedCaFile))
        {
            var file = Path.GetFullPath(vp.OidcTrustedCaFile, baseDirectory);
            var roots = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
            try
            {
                roots.ImportFromPemFile(file);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                errors.Add($"{path}.oidcTrustedCaFile", $"file '{file}' cannot be read as PEM certificates ({ex.GetType().Name}); point it at the CA that issued the provider's certificate");
                return;
            }

            if (roots.Count == 0)
            {
                errors.Add($"{path}.oidcTrustedCaFile", $"file '{file}' holds no PEM certificate; point it at the CA that issued the provider's certificate");
            }
        }
    }
}
