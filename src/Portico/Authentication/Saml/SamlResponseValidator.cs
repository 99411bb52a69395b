using System.Globalization;
using System.Text;
using System.Xml;

namespace Portico.Authentication.Saml;

/// <summary>
/// Decides whether a SAML Response posted to the ACS logs a user in (SAML core 2.0, profiles 4.1.4).
/// Pure: the caller then consumes the InResponseTo in its request store, which refuses replays.
/// </summary>
internal static class SamlResponseValidator
{
    /// <summary>Longest SAMLResponse form value accepted (base64): real responses are a few kilobytes.</summary>
    public const int MaxEncodedLength = 256 * 1024;

    public const int MaxAttributes = 100;
    public const int MaxValuesPerAttribute = 100;
    public const int MaxValueLength = 2048;

    public static SamlValidation Validate(string? encoded, SamlServiceProvider sp, DateTimeOffset now)
    {
        // 1. Decode and parse, bounded, without DTDs or resolvers.
        if (string.IsNullOrEmpty(encoded) || encoded.Length > MaxEncodedLength)
        {
            return SamlValidation.Refused(SamlRefusal.Malformed, "SAMLResponse is missing or longer than " + MaxEncodedLength + " characters");
        }

        string xml;
        try
        {
            xml = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Convert.FromBase64String(encoded));
        }
        catch (Exception e) when (e is FormatException or DecoderFallbackException)
        {
            return SamlValidation.Refused(SamlRefusal.Malformed, "SAMLResponse is not base64 of UTF-8 text");
        }

        if (SamlXml.Parse(xml, out var parseError) is not { DocumentElement: { } root } document)
        {
            return SamlValidation.Refused(SamlRefusal.Malformed, "not well-formed XML without a DTD: " + parseError);
        }

        if (root.LocalName != "Response" || root.NamespaceURI != SamlXml.Protocol)
        {
            return SamlValidation.Refused(SamlRefusal.Malformed, "the message is not a samlp:Response");
        }

        // 2. Exactly one plain assertion, a child of the Response. Decrypting is not offered (docs/security.md, SAML).
        if (document.GetElementsByTagName("EncryptedAssertion", SamlXml.Assertion).Count > 0)
        {
            return SamlValidation.Refused(SamlRefusal.Encrypted, "encrypted assertions are not accepted; turn assertion encryption off at the identity provider (TLS protects the response in transit)");
        }

        var assertions = document.GetElementsByTagName("Assertion", SamlXml.Assertion).Count;
        if (assertions != 1 || SamlXml.Single(root, SamlXml.Assertion, "Assertion") is not { } assertion)
        {
            return SamlValidation.Refused(SamlRefusal.SignatureWrapping, $"the response must hold exactly one assertion, as a child of the Response; it holds {assertions}");
        }

        // 3. Signed by the identity provider: the Response (covering the assertion) or the assertion itself.
        var responseSignatures = SamlXml.Count(root, SamlXml.DSig, "Signature");
        var assertionSignatures = SamlXml.Count(assertion, SamlXml.DSig, "Signature");
        if (responseSignatures > 1 || assertionSignatures > 1 || document.GetElementsByTagName("Signature", SamlXml.DSig).Count != responseSignatures + assertionSignatures)
        {
            return SamlValidation.Refused(SamlRefusal.SignatureWrapping, "signatures in places a SAML response does not have them");
        }

        if (responseSignatures + assertionSignatures == 0)
        {
            return SamlValidation.Refused(SamlRefusal.Unsigned, "neither the response nor the assertion is signed");
        }

        // Every signature present must verify: one that does not is an alteration, not decoration.
        var responseSigned = responseSignatures == 1;
        foreach (var (element, present) in new[] { (root, responseSigned), (assertion, assertionSignatures == 1) })
        {
            if (present && SamlSignature.Verify(SamlXml.Single(element, SamlXml.DSig, "Signature")!, sp.Idp.SigningCertificates, sp.WeakestAlgorithm) is { } refused)
            {
                return refused;
            }
        }

        // From here on, only the assertion (signed, or inside the signed Response) and, for what the
        // SAML profile puts there, the Response's own attributes are read.
        return CheckResponse(root, responseSigned, sp) ?? ReadAssertion(assertion, sp, now);
    }

    private static SamlValidation? CheckResponse(XmlElement response, bool signed, SamlServiceProvider sp)
    {
        if (SamlXml.Single(response, SamlXml.Assertion, "Issuer") is { } issuer && SamlXml.TextOnly(issuer)?.Trim() != sp.Idp.EntityId)
        {
            return SamlValidation.Refused(SamlRefusal.Issuer, "the response's Issuer is not the identity provider's entityID");
        }

        var status = SamlXml.Single(response, SamlXml.Protocol, "Status") is { } s ? SamlXml.Single(s, SamlXml.Protocol, "StatusCode") : null;
        if (status is null || SamlXml.Attribute(status, "Value") != SamlXml.Success)
        {
            return SamlValidation.Refused(SamlRefusal.Status, "the identity provider did not answer Success");
        }

        // A signed response must name its destination (SAML bindings 3.5.5.2); any response that names one must name our ACS.
        var destination = SamlXml.Attribute(response, "Destination");
        if ((signed && destination is null) || (destination is not null && destination != sp.AcsUrl.AbsoluteUri))
        {
            return SamlValidation.Refused(SamlRefusal.Destination, "the response's Destination is not this virtual proxy's ACS URL");
        }

        return null;
    }

    private static SamlValidation ReadAssertion(XmlElement assertion, SamlServiceProvider sp, DateTimeOffset now)
    {
        if (SamlXml.Single(assertion, SamlXml.Assertion, "Issuer") is not { } issuer || SamlXml.TextOnly(issuer)?.Trim() != sp.Idp.EntityId)
        {
            return SamlValidation.Refused(SamlRefusal.Issuer, "the assertion's Issuer is not the identity provider's entityID");
        }

        // Conditions: time window (with the configured skew) and our entity id as audience.
        if (SamlXml.Single(assertion, SamlXml.Assertion, "Conditions") is not { } conditions)
        {
            return SamlValidation.Refused(SamlRefusal.Audience, "the assertion has no Conditions, so no audience restriction");
        }

        if (Time(conditions, "NotBefore", out var notBefore) is false || Time(conditions, "NotOnOrAfter", out var notOnOrAfter) is false)
        {
            return SamlValidation.Refused(SamlRefusal.Malformed, "a Conditions time does not parse");
        }

        if (notBefore is { } start && now + sp.ClockSkew < start)
        {
            return SamlValidation.Refused(SamlRefusal.NotYetValid, "the assertion is not valid yet (Conditions NotBefore)");
        }

        if (notOnOrAfter is { } end && now - sp.ClockSkew >= end)
        {
            return SamlValidation.Refused(SamlRefusal.Expired, "the assertion has expired (Conditions NotOnOrAfter)");
        }

        var restrictions = SamlXml.Children(conditions, SamlXml.Assertion, "AudienceRestriction").ToList();
        if (restrictions.Count == 0 || !restrictions.All(r => SamlXml.Children(r, SamlXml.Assertion, "Audience").Any(a => SamlXml.TextOnly(a)?.Trim() == sp.EntityId)))
        {
            return SamlValidation.Refused(SamlRefusal.Audience, "the assertion is not restricted to this service provider's entity id");
        }

        // Subject: the NameID, and a bearer confirmation for our ACS, in response to a request.
        if (SamlXml.Single(assertion, SamlXml.Assertion, "Subject") is not { } subject
            || SamlXml.Single(subject, SamlXml.Assertion, "NameID") is not { } nameIdElement)
        {
            return SamlValidation.Refused(SamlRefusal.Subject, "the assertion has no single Subject with one NameID");
        }

        if (SamlXml.TextOnly(nameIdElement) is not { } nameId || nameId.Trim().Length == 0)
        {
            return SamlValidation.Refused(SamlRefusal.Subject, "the NameID is empty or holds something other than text (a comment, an element)");
        }

        SamlValidation? firstFailure = null;
        string? inResponseTo = null;
        foreach (var confirmation in SamlXml.Children(subject, SamlXml.Assertion, "SubjectConfirmation"))
        {
            var failure = CheckBearer(confirmation, sp, now, out inResponseTo);
            if (failure is null)
            {
                break;
            }

            firstFailure ??= failure;
            inResponseTo = null;
        }

        if (inResponseTo is null)
        {
            return firstFailure ?? SamlValidation.Refused(SamlRefusal.Subject, "the subject has no bearer SubjectConfirmation");
        }

        if (SamlXml.Attribute((XmlElement)assertion.ParentNode!, "InResponseTo") is { } responseInResponseTo && responseInResponseTo != inResponseTo)
        {
            return SamlValidation.Refused(SamlRefusal.InResponseTo, "the response and its assertion answer different requests");
        }

        var sessionIndex = SamlXml.Single(assertion, SamlXml.Assertion, "AuthnStatement") is { } authn ? SamlXml.Attribute(authn, "SessionIndex") : null;
        var attributes = ReadAttributes(assertion, out var attributeError);
        return attributes is null
            ? SamlValidation.Refused(SamlRefusal.Attributes, attributeError!)
            : SamlValidation.Valid(new SamlAssertion(nameId, inResponseTo, sessionIndex, attributes));
    }

    private static SamlValidation? CheckBearer(XmlElement confirmation, SamlServiceProvider sp, DateTimeOffset now, out string? inResponseTo)
    {
        inResponseTo = null;
        if (SamlXml.Attribute(confirmation, "Method") != SamlXml.BearerMethod)
        {
            return SamlValidation.Refused(SamlRefusal.Subject, "the SubjectConfirmation is not bearer");
        }

        if (SamlXml.Single(confirmation, SamlXml.Assertion, "SubjectConfirmationData") is not { } data)
        {
            return SamlValidation.Refused(SamlRefusal.Subject, "the bearer confirmation has no SubjectConfirmationData");
        }

        if (SamlXml.Attribute(data, "Recipient") != sp.AcsUrl.AbsoluteUri)
        {
            return SamlValidation.Refused(SamlRefusal.Destination, "the bearer confirmation's Recipient is not this virtual proxy's ACS URL");
        }

        // The profile requires NotOnOrAfter on a bearer confirmation, and NotBefore absent (SAML profiles 4.1.4.2).
        if (Time(data, "NotOnOrAfter", out var notOnOrAfter) is false || notOnOrAfter is null || data.HasAttribute("NotBefore"))
        {
            return SamlValidation.Refused(SamlRefusal.Subject, "the bearer confirmation needs a NotOnOrAfter and no NotBefore");
        }

        if (now - sp.ClockSkew >= notOnOrAfter)
        {
            return SamlValidation.Refused(SamlRefusal.Expired, "the bearer confirmation has expired (NotOnOrAfter)");
        }

        // Unsolicited (IdP-initiated) responses are refused: only an answer to our request can be bound to it.
        if (SamlXml.Attribute(data, "InResponseTo") is not { Length: > 0 } requestId)
        {
            return SamlValidation.Refused(SamlRefusal.InResponseTo, "the response does not answer a request of Portico's (no InResponseTo)");
        }

        inResponseTo = requestId;
        return null;
    }

    private static List<SamlAttribute>? ReadAttributes(XmlElement assertion, out string? error)
    {
        error = null;
        var attributes = new List<SamlAttribute>();
        foreach (var statement in SamlXml.Children(assertion, SamlXml.Assertion, "AttributeStatement"))
        {
            foreach (var attribute in SamlXml.Children(statement, SamlXml.Assertion, "Attribute"))
            {
                if (attributes.Count == MaxAttributes)
                {
                    error = $"more than {MaxAttributes} attributes";
                    return null;
                }

                var values = new List<string>();
                foreach (var value in SamlXml.Children(attribute, SamlXml.Assertion, "AttributeValue"))
                {
                    var text = SamlXml.TextOnly(value);
                    if (text is null || text.Length > MaxValueLength || values.Count == MaxValuesPerAttribute)
                    {
                        error = "an attribute value holds something other than text, or is too long or too many";
                        return null;
                    }

                    values.Add(text.Trim());
                }

                attributes.Add(new SamlAttribute(SamlXml.Attribute(attribute, "Name") ?? "", SamlXml.Attribute(attribute, "FriendlyName"), values));
            }
        }

        return attributes;
    }

    /// <returns>False when the attribute is present but not an xs:dateTime; the value is null when absent.</returns>
    private static bool Time(XmlElement element, string name, out DateTimeOffset? value)
    {
        value = null;
        if (SamlXml.Attribute(element, name) is not { } text)
        {
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            value = parsed;
            return true;
        }

        return false;
    }
}
