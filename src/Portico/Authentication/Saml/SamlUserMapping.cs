namespace Portico.Authentication.Saml;

/// <summary>
/// Turns a validated assertion into the user the engine is told about, as Qlik's SAML virtual proxy
/// does: user id and directory from the configured attributes (matched by Name or FriendlyName; a
/// directory in brackets is fixed), and samlAttributeMap's attributes as Qlik attributes.
/// </summary>
internal static class SamlUserMapping
{
    public static AuthenticatedUser? Map(SamlAssertion assertion, SamlServiceProvider sp, out SamlValidation? refusal)
    {
        refusal = null;
        string? userId;
        if (sp.UserIdAttribute is { } userIdAttribute)
        {
            userId = SingleValue(assertion, userIdAttribute, out var problem);
            if (problem is not null)
            {
                refusal = SamlValidation.Refused(SamlRefusal.Attributes, $"user id attribute '{userIdAttribute}' {problem}");
                return null;
            }
        }
        else
        {
            userId = assertion.NameId.Trim();
        }

        var directory = sp.FixedUserDirectory;
        if (directory is null)
        {
            directory = SingleValue(assertion, sp.UserDirectoryAttribute!, out var problem);
            if (problem is not null)
            {
                refusal = SamlValidation.Refused(SamlRefusal.Attributes, $"user directory attribute '{sp.UserDirectoryAttribute}' {problem}");
                return null;
            }
        }

        // The same identity rule as every other method: no control or invisible characters, no reserved directory.
        if (UserIdentityRule.CheckUser(directory, "the SAML user directory", userId, "the SAML user id") is { IsValid: false } identity)
        {
            refusal = SamlValidation.Refused(SamlRefusal.Identity, identity.Reason);
            return null;
        }

        var attributes = new List<KeyValuePair<string, string>>();
        foreach (var mapping in sp.AttributeMap)
        {
            var values = Values(assertion, mapping.SamlAttribute);
            if (values.Count == 0 && mapping.IsMandatory)
            {
                refusal = SamlValidation.Refused(SamlRefusal.Attributes, $"mandatory attribute '{mapping.SamlAttribute}' is missing");
                return null;
            }

            foreach (var value in values)
            {
                if (UserIdentityRule.CheckAttributeValue(value, $"attribute '{mapping.SamlAttribute}'") is { IsValid: false } check)
                {
                    refusal = SamlValidation.Refused(SamlRefusal.Attributes, check.Reason);
                    return null;
                }

                attributes.Add(new(mapping.SenseAttribute, value));
            }
        }

        return new AuthenticatedUser(directory!, userId!) { Attributes = attributes };
    }

    /// <summary>Every value of the attributes whose Name or FriendlyName is <paramref name="name"/> (Qlik accepts either).</summary>
    public static IReadOnlyList<string> Values(SamlAssertion assertion, string name) =>
        [.. assertion.Attributes.Where(a => a.Name == name || a.FriendlyName == name).SelectMany(a => a.Values)];

    private static string? SingleValue(SamlAssertion assertion, string name, out string? problem)
    {
        var values = Values(assertion, name);
        problem = values.Count switch
        {
            0 => "is missing from the assertion",
            > 1 => "has more than one value",
            _ => null,
        };
        return problem is null ? values[0] : null;
    }
}
