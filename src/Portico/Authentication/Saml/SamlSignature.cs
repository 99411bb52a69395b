using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Xml;
using Portico.Configuration;

namespace Portico.Authentication.Saml;

/// <summary>
/// Verifies one enveloped XML signature of a SAML message against the identity provider's
/// configured certificates. The signed element is fixed before verification: the signature's parent,
/// whose ID must occur exactly once in the document, and the signature's only Reference must name
/// that ID. So the element that was verified is the element the caller then reads; a reference that
/// resolves anywhere else (the signature wrapping attacks, XSW1-XSW8) is refused, not followed.
/// </summary>
internal static class SamlSignature
{
    private static readonly HashSet<string> Sha1 = [SignedXml.XmlDsigRSASHA1Url, SignedXml.XmlDsigSHA1Url];

    private static readonly HashSet<string> SignatureMethods =
    [
        SignedXml.XmlDsigRSASHA1Url, SignedXml.XmlDsigRSASHA256Url, SignedXml.XmlDsigRSASHA384Url, SignedXml.XmlDsigRSASHA512Url,
    ];

    private static readonly HashSet<string> DigestMethods =
    [
        SignedXml.XmlDsigSHA1Url, SignedXml.XmlDsigSHA256Url, SignedXml.XmlDsigSHA384Url, SignedXml.XmlDsigSHA512Url,
    ];

    /// <returns>Null when <paramref name="signature"/> is a valid signature over its parent element; otherwise the refusal.</returns>
    public static SamlValidation? Verify(XmlElement signature, IReadOnlyList<X509Certificate2> certificates, SamlSigningAlgorithm weakest)
    {
        // 1. The signed element is the one that holds the signature, identified by a unique ID.
        if (signature.ParentNode is not XmlElement signedElement || SamlXml.Attribute(signedElement, "ID") is not { Length: > 0 } id)
        {
            return SamlValidation.Refused(SamlRefusal.SignatureWrapping, "the signed element has no ID");
        }

        var occurrences = CountIds(signature.OwnerDocument, id);
        if (occurrences != 1)
        {
            return SamlValidation.Refused(SamlRefusal.SignatureWrapping, $"the signed ID occurs {occurrences} times in the message");
        }

        var signedXml = new PinnedSignedXml(signedElement, id);
        try
        {
            signedXml.LoadXml(signature);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            return SamlValidation.Refused(SamlRefusal.SignatureInvalid, "the signature does not parse: " + e.Message);
        }

        // 2. Exactly one reference, to that element, by its ID.
        if (signedXml.SignedInfo is not { } signedInfo || signedInfo.References.Count != 1 || signedInfo.References[0] is not Reference reference)
        {
            return SamlValidation.Refused(SamlRefusal.SignatureWrapping, "the signature must hold exactly one reference");
        }

        if (reference.Uri != "#" + id)
        {
            return SamlValidation.Refused(SamlRefusal.SignatureWrapping, "the signature's reference does not point to the element that holds it");
        }

        // 3. Only the algorithms SAML signatures use: exclusive c14n, enveloped signature, RSA with SHA-2 (SHA-1 if configured).
        if (signedInfo.CanonicalizationMethod != SignedXml.XmlDsigExcC14NTransformUrl)
        {
            return SamlValidation.Refused(SamlRefusal.SignatureInvalid, "canonicalization must be exclusive c14n without comments");
        }

        if (!SignatureMethods.Contains(signedInfo.SignatureMethod ?? "") || !DigestMethods.Contains(reference.DigestMethod ?? ""))
        {
            return SamlValidation.Refused(SamlRefusal.SignatureInvalid, "unsupported signature or digest algorithm");
        }

        if (weakest == SamlSigningAlgorithm.Sha256 && (Sha1.Contains(signedInfo.SignatureMethod!) || Sha1.Contains(reference.DigestMethod!)))
        {
            return SamlValidation.Refused(SamlRefusal.WeakAlgorithm, "SHA-1 is weaker than the configured samlAttributeSigningAlgorithm");
        }

        var enveloped = false;
        foreach (Transform transform in reference.TransformChain)
        {
            switch (transform)
            {
                case XmlDsigEnvelopedSignatureTransform:
                    enveloped = true;
                    break;
                case XmlDsigExcC14NTransform when transform.Algorithm == SignedXml.XmlDsigExcC14NTransformUrl:
                    break;
                default:
                    return SamlValidation.Refused(SamlRefusal.SignatureInvalid, "transform not allowed: " + transform.Algorithm);
            }
        }

        if (!enveloped)
        {
            return SamlValidation.Refused(SamlRefusal.SignatureWrapping, "the signature is not an enveloped signature of its parent");
        }

        // 4. The key is the configured certificate's; a key in the message's KeyInfo is never used.
        foreach (var certificate in certificates)
        {
            try
            {
                if (signedXml.CheckSignature(certificate, verifySignatureOnly: true))
                {
                    return null;
                }
            }
            catch (System.Security.Cryptography.CryptographicException)
            {
                // A malformed value is one more signature that does not verify.
            }
        }

        return SamlValidation.Refused(SamlRefusal.SignatureInvalid, "the signature does not verify with the identity provider's certificate");
    }

    /// <summary>Elements carrying the value in any attribute SignedXml would resolve a reference by (ID, Id, id).</summary>
    internal static int CountIds(XmlDocument document, string id)
    {
        var count = 0;
        foreach (XmlNode node in document.SelectNodes("//*[@ID or @Id or @id]")!)
        {
            var element = (XmlElement)node;
            foreach (var name in (string[])["ID", "Id", "id"])
            {
                if (element.GetAttributeNode(name) is { } attribute && attribute.Value == id)
                {
                    count++;
                }
            }
        }

        return count;
    }

    /// <summary>Resolves the reference's ID to the element fixed beforehand, and to nothing else.</summary>
    private sealed class PinnedSignedXml : SignedXml
    {
        private readonly XmlElement _signedElement;
        private readonly string _id;

        public PinnedSignedXml(XmlElement signedElement, string id)
            : base(signedElement)
        {
            _signedElement = signedElement;
            _id = id;
        }

        public override XmlElement? GetIdElement(XmlDocument? document, string idValue) =>
            string.Equals(idValue, _id, StringComparison.Ordinal) ? _signedElement : null;
    }
}
