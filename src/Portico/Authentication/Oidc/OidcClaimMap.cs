using System.Text.Json;
using Portico.Configuration;

namespace Portico.Authentication.Oidc;

/// <summary>
/// How an id_token's claims become a Portico user: the user id from <c>oidcAttributeSub</c>, the
/// directory from <c>oidcRealm</c>, and Qlik's optional attributes (name, groups, email, client id,
/// picture) plus <c>oidcAttributeMap</c> as the user's attributes, which the engine receives like
/// those of every other method.
/// </summary>
internal sealed record OidcClaimMap
{
    /// <summary>Attribute names as Qlik gives them to the engine.</summary>
    public const string NameAttribute = "name";
    public const string GroupAttribute = "group";
    public const string EmailAttribute = "email";
    public const string ClientIdAttribute = "clientId";
    public const string PictureAttribute = "picture";

    /// <summary>More values than this in one claim refuse the login: attributes travel in every engine request.</summary>
    public const int MaxValuesPerClaim = 256;

    public required string SubClaim { get; init; }

    /// <summary>(claim, attribute, mandatory), in the order the attributes are written.</summary>
    public required IReadOnlyList<(string Claim, string Attribute, bool Mandatory)> Attributes { get; init; }

    public static OidcClaimMap FromConfig(VirtualProxyConfig vp)
    {
        var attributes = new List<(string, string, bool)>();
        void Add(string? claim, string attribute, bool mandatory)
        {
            if (!string.IsNullOrWhiteSpace(claim) && !string.IsNullOrWhiteSpace(attribute))
            {
                attributes.Add((claim, attribute, mandatory));
            }
        }

        Add(vp.OidcAttributeName, NameAttribute, false);
        Add(vp.OidcAttributeGroups, GroupAttribute, false);
        Add(vp.OidcAttributeEmail, EmailAttribute, false);
        Add(vp.OidcAttributeClientId, ClientIdAttribute, false);
        Add(vp.OidcAttributePicture, PictureAttribute, false);
        foreach (var item in vp.OidcAttributeMap)
        {
            Add(item.OidcAttribute, item.SenseAttribute, item.IsMandatory);
        }

        return new OidcClaimMap { SubClaim = vp.OidcAttributeSub, Attributes = attributes };
    }

    /// <summary>
    /// Maps a validated id_token's claims (a JSON object) to the user. Fails closed: a missing or
    /// non-string subject, a mandatory claim that is absent, a value of another type than string
    /// (or array of strings), or anything the shared identity rule refuses.
    /// </summary>
    public OidcMapping Map(JsonElement claims, string realm)
    {
        if (claims.ValueKind != JsonValueKind.Object)
        {
            return OidcMapping.Fail("the id_token's claims are not a JSON object");
        }

        if (!claims.TryGetProperty(SubClaim, out var sub) || sub.ValueKind != JsonValueKind.String || sub.GetString() is not { Length: > 0 } userId)
        {
            return OidcMapping.Fail($"claim '{SubClaim}' (oidcAttributeSub) is missing or not a non-empty string");
        }

        var identity = UserIdentityRule.CheckUserId(userId, $"claim '{SubClaim}'");
        if (identity.IsValid)
        {
            identity = UserIdentityRule.CheckUserDirectory(realm, "oidcRealm");
        }

        if (!identity.IsValid)
        {
            return OidcMapping.Fail(identity.Reason);
        }

        var attributes = new List<KeyValuePair<string, string>>();
        foreach (var (claim, attribute, mandatory) in Attributes)
        {
            if (!claims.TryGetProperty(claim, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                if (mandatory)
                {
                    return OidcMapping.Fail($"mandatory claim '{claim}' is missing");
                }

                continue;
            }

            var values = Values(value);
            if (values is null)
            {
                return OidcMapping.Fail($"claim '{claim}' is neither a string nor an array of at most {MaxValuesPerClaim} strings");
            }

            foreach (var text in values)
            {
                var check = UserIdentityRule.CheckAttributeValue(text, $"claim '{claim}'");
                if (!check.IsValid)
                {
                    return OidcMapping.Fail(check.Reason);
                }

                attributes.Add(new(attribute, text));
            }
        }

        return OidcMapping.Success(new AuthenticatedUser(realm, userId) { Attributes = attributes });
    }

    private static List<string>? Values(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return [value.GetString()!];
        }

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() > MaxValuesPerClaim)
        {
            return null;
        }

        var values = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            values.Add(item.GetString()!);
        }

        return values;
    }
}

/// <summary>The user an id_token names, or why it names none.</summary>
internal sealed record OidcMapping(AuthenticatedUser? User, string? FailureReason)
{
    public static OidcMapping Success(AuthenticatedUser user) => new(user, null);

    public static OidcMapping Fail(string reason) => new(null, reason);
}
