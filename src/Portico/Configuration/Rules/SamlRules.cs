using Portico.Authentication;
using Portico.Authentication.Saml;

namespace Portico.Configuration.Rules;

/// <summary>What a SAML virtual proxy (authenticationMethod 3) needs: usable IdP metadata, Portico's own addresses and the attributes that name the user.</summary>
internal sealed class SamlRules : IConfigRule
{
    public void Check(PorticoConfig config, ConfigErrors errors)
    {
        for (var i = 0; i < config.VirtualProxies.Count; i++)
        {
            // A null entry is reported by VirtualProxyRules; other methods ignore the saml* fields.
            if (config.VirtualProxies[i] is not { AuthenticationMethod: AuthenticationMethod.Saml } vp)
            {
                continue;
            }

            var path = $"virtualProxies[{i}]";
            if (vp.Prefix.Length == 0)
            {
                // As in Qlik: the ACS and metadata live under the prefix, and the default virtual proxy has none.
                errors.Add($"{path}.prefix", "SAML authentication cannot be used on the default virtual proxy; give this virtual proxy a prefix, e.g. \"saml\"");
            }

            if (IdpMetadata.TryParse(vp.SamlMetadataIdP, out var metadataErrors) is null)
            {
                foreach (var error in metadataErrors)
                {
                    errors.Add($"{path}.samlMetadataIdP", $"{error}; paste the identity provider's metadata XML (its EntityDescriptor)");
                }
            }

            if (SamlServiceProvider.HostUri(vp.SamlHostUri) is null)
            {
                errors.Add($"{path}.samlHostUri", "must be the https address users reach Portico at, without a path, e.g. \"https://qlik.example.com\"; the ACS URL is built on it");
            }

            if (string.IsNullOrWhiteSpace(vp.SamlEntityId))
            {
                errors.Add($"{path}.samlEntityId", "is required for SAML; give this service provider an id unique at the identity provider, e.g. \"https://qlik.example.com/saml\"");
            }

            if (SamlServiceProvider.UserDirectory(vp.SamlAttributeUserDirectory) is not { } directory)
            {
                errors.Add($"{path}.samlAttributeUserDirectory", "is required for SAML; name the attribute that holds the user directory, or give a fixed directory in brackets, e.g. \"[CORP]\"");
            }
            else if (directory.Fixed is { } fixedDirectory && UserIdentityRule.CheckUserDirectory(fixedDirectory, "the fixed user directory") is { IsValid: false } check)
            {
                errors.Add($"{path}.samlAttributeUserDirectory", $"{check.Reason}; name the directory the users belong to, e.g. \"[CORP]\"");
            }

            for (var m = 0; m < vp.SamlAttributeMap.Count; m++)
            {
                var mapping = vp.SamlAttributeMap[m];
                if (mapping is null || string.IsNullOrWhiteSpace(mapping.SamlAttribute) || UserIdentityRule.CheckAttributeName(mapping.SenseAttribute, "senseAttribute") is { IsValid: false })
                {
                    errors.Add($"{path}.samlAttributeMap[{m}]", "needs samlAttribute (the assertion's attribute name) and senseAttribute (the name the engine sees), e.g. {\"samlAttribute\": \"groups\", \"senseAttribute\": \"group\"}");
                }
            }

            if (vp.SamlSlo && IdpMetadata.TryParse(vp.SamlMetadataIdP, out _) is { SingleLogoutUrl: null })
            {
                errors.Add($"{path}.samlSlo", "single logout needs a SingleLogoutService with the HTTP-Redirect binding in samlMetadataIdP; turn samlSlo off or use the identity provider's full metadata");
            }
        }
    }
}
