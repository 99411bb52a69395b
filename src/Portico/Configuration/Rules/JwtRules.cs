using Portico.Authentication.Jwt;

namespace Portico.Configuration.Rules;

/// <summary>What a JWT virtual proxy needs: a usable public key and the claims that name the user.</summary>
internal sealed class JwtRules : IConfigRule
{
    public void Check(PorticoConfig config, ConfigErrors errors)
    {
        for (var i = 0; i < config.VirtualProxies.Count; i++)
        {
            // A null entry is reported by VirtualProxyRules; other methods ignore the jwt* fields.
            if (config.VirtualProxies[i] is not { AuthenticationMethod: AuthenticationMethod.Jwt } vp)
            {
                continue;
            }

            var path = $"virtualProxies[{i}]";
            if (string.IsNullOrWhiteSpace(vp.JwtPublicKeyCertificate))
            {
                errors.Add($"{path}.jwtPublicKeyCertificate", "is required for JWT authentication (authenticationMethod 4); " + JwtSigningKey.Expected);
            }
            else if (JwtSigningKey.TryParse(vp.JwtPublicKeyCertificate, out var error) is null)
            {
                errors.Add($"{path}.jwtPublicKeyCertificate", error ?? JwtSigningKey.Expected);
            }

            if (string.IsNullOrWhiteSpace(vp.JwtAttributeUserId))
            {
                errors.Add($"{path}.jwtAttributeUserId", "is required for JWT authentication; name the claim that holds the user id, e.g. \"sub\"");
            }

            if (string.IsNullOrWhiteSpace(vp.JwtAttributeUserDirectory))
            {
                errors.Add($"{path}.jwtAttributeUserDirectory", "is required for JWT authentication; name the claim that holds the user directory, e.g. \"userDirectory\"");
            }
        }
    }
}
