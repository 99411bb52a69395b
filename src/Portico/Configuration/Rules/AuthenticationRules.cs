using Portico.Authentication;
using Portico.Authentication.Header;

namespace Portico.Configuration.Rules;

/// <summary>Fields that header, ticket and anonymous authentication need (JWT has its own rule), and the session settings.</summary>
internal sealed class AuthenticationRules : IConfigRule
{
    public void Check(PorticoConfig config, ConfigErrors errors)
    {
        if (config.Sessions.MaxSessionsPerUser is < 1 or > 1000)
        {
            errors.Add("sessions.maxSessionsPerUser", "must be between 1 and 1000 (Qlik's default is 5)");
        }

        if (config.Sessions.AbsoluteLifetimeMinutes is < 1 or > 525_600)
        {
            errors.Add("sessions.absoluteLifetimeMinutes", "must be between 1 and 525600");
        }

        for (var i = 0; i < config.VirtualProxies.Count; i++)
        {
            if (config.VirtualProxies[i] is { } vp)
            {
                Check(vp, $"virtualProxies[{i}]", errors);
            }
        }
    }

    private static void Check(VirtualProxyConfig vp, string path, ConfigErrors errors)
    {
        var isHeader = vp.AuthenticationMethod is AuthenticationMethod.HeaderStaticUserDirectory or AuthenticationMethod.HeaderDynamicUserDirectory;
        if (isHeader && (string.IsNullOrWhiteSpace(vp.HeaderAuthenticationHeaderName) || !Http.HttpToken.IsToken(vp.HeaderAuthenticationHeaderName)))
        {
            errors.Add($"{path}.headerAuthenticationHeaderName", "header authentication needs the name of the header that carries the user, e.g. \"X-Qlik-HeaderAuth\"");
        }

        if (vp.AuthenticationMethod == AuthenticationMethod.HeaderStaticUserDirectory && string.IsNullOrWhiteSpace(vp.HeaderAuthenticationStaticUserDirectory))
        {
            errors.Add($"{path}.headerAuthenticationStaticUserDirectory", "method 1 (HeaderStaticUserDirectory) needs the user directory, e.g. \"CORP\"");
        }
        else if (vp.AuthenticationMethod == AuthenticationMethod.HeaderStaticUserDirectory
            && UserIdentityRule.CheckUserDirectory(vp.HeaderAuthenticationStaticUserDirectory, "the user directory") is { IsValid: false } directory)
        {
            // The same rule as for every directory a credential names: the configured one is given
            // to every header user, so it must be one a credential could have named.
            errors.Add($"{path}.headerAuthenticationStaticUserDirectory", $"{directory.Reason}; name the directory the users belong to, exactly as written there, e.g. \"CORP\"");
        }

        if (vp.AuthenticationMethod == AuthenticationMethod.HeaderDynamicUserDirectory
            && DynamicUserDirectoryPattern.TryParse(vp.HeaderAuthenticationDynamicUserDirectory, out var patternError) is null)
        {
            errors.Add($"{path}.headerAuthenticationDynamicUserDirectory", $"{patternError}; write a pattern such as \"$ud\\\\$id\"");
        }

        if (vp.HeaderAuthenticationTrustedNetworks.Count > 0 && TrustedNetworks.TryParse(vp.HeaderAuthenticationTrustedNetworks, out var networkErrors) is null)
        {
            foreach (var error in networkErrors)
            {
                errors.Add($"{path}.headerAuthenticationTrustedNetworks", error);
            }
        }

        if (vp.AuthenticationModuleRedirectUri is { } module
            && (!Uri.TryCreate(module, UriKind.Absolute, out var moduleUri) || moduleUri.Scheme is not ("https" or "http")))
        {
            errors.Add($"{path}.authenticationModuleRedirectUri", $"\"{module}\" is not an absolute http(s) URL of a login page");
        }

        if (vp.SessionCookiePartitioned && !vp.HasSecureAttributeHttps)
        {
            errors.Add($"{path}.sessionCookiePartitioned", "a Partitioned cookie must be Secure; set hasSecureAttributeHttps: true");
        }
    }
}
