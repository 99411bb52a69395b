namespace Portico.Authentication.Saml;

/// <summary>Why a SAML message was refused. The code is the audit event's reason; it never changes meaning.</summary>
internal enum SamlRefusal
{
    Malformed,
    Encrypted,
    Unsigned,
    SignatureInvalid,
    SignatureWrapping,
    WeakAlgorithm,
    Issuer,
    Status,
    Destination,
    Audience,
    Expired,
    NotYetValid,
    Subject,
    InResponseTo,
    Attributes,
    Identity,
    Binding,
    CrossSite,
}

internal static class SamlRefusalCodes
{
    public static string Code(this SamlRefusal refusal) => refusal switch
    {
        SamlRefusal.Malformed => "saml_malformed",
        SamlRefusal.Encrypted => "saml_encrypted",
        SamlRefusal.Unsigned => "saml_unsigned",
        SamlRefusal.SignatureInvalid => "saml_signature_invalid",
        SamlRefusal.SignatureWrapping => "saml_signature_wrapping",
        SamlRefusal.WeakAlgorithm => "saml_weak_algorithm",
        SamlRefusal.Issuer => "saml_issuer",
        SamlRefusal.Status => "saml_status",
        SamlRefusal.Destination => "saml_destination",
        SamlRefusal.Audience => "saml_audience",
        SamlRefusal.Expired => "saml_expired",
        SamlRefusal.NotYetValid => "saml_not_yet_valid",
        SamlRefusal.Subject => "saml_subject",
        SamlRefusal.InResponseTo => "saml_in_response_to",
        SamlRefusal.Attributes => "saml_attributes",
        SamlRefusal.Identity => "saml_identity",
        SamlRefusal.Binding => "saml_binding",
        SamlRefusal.CrossSite => "saml_cross_site",
        _ => "saml_refused",
    };
}

/// <summary>One attribute of a validated assertion.</summary>
internal sealed record SamlAttribute(string Name, string? FriendlyName, IReadOnlyList<string> Values);

/// <summary>What Portico reads from a response after validation: only from the element that was signed.</summary>
internal sealed record SamlAssertion(string NameId, string InResponseTo, string? SessionIndex, IReadOnlyList<SamlAttribute> Attributes);

/// <summary>A validated assertion, or why the response was refused.</summary>
internal sealed record SamlValidation(SamlAssertion? Assertion, SamlRefusal Refusal, string Detail)
{
    public bool Succeeded => Assertion is not null;

    public static SamlValidation Valid(SamlAssertion assertion) => new(assertion, default, "");

    public static SamlValidation Refused(SamlRefusal refusal, string detail) => new(null, refusal, detail);
}
