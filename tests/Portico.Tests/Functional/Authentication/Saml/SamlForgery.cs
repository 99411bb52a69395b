using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;

namespace Portico.Tests.Functional.Authentication.Saml;

/// <summary>Alters a real signed SAML response the way attackers do (and the way an IdP would sign), for the refusal tests.</summary>
internal static class SamlForgery
{
    public const string Protocol = "urn:oasis:names:tc:SAML:2.0:protocol";
    public const string Assertion = "urn:oasis:names:tc:SAML:2.0:assertion";
    public const string DSig = SignedXml.XmlDsigNamespaceUrl;

    public static XmlDocument Decode(string samlResponse)
    {
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        document.LoadXml(Encoding.UTF8.GetString(Convert.FromBase64String(samlResponse)));
        return document;
    }

    public static string Encode(XmlDocument document) => Convert.ToBase64String(Encoding.UTF8.GetBytes(document.OuterXml));

    public static XmlElement Response(XmlDocument d) => d.DocumentElement!;

    public static XmlElement AssertionOf(XmlNode parent) => parent.ChildNodes.OfType<XmlElement>().Single(e => e.LocalName == "Assertion" && e.NamespaceURI == Assertion);

    public static XmlElement Child(XmlElement parent, string localName) => parent.ChildNodes.OfType<XmlElement>().First(e => e.LocalName == localName);

    public static XmlElement? SignatureOf(XmlElement element) => element.ChildNodes.OfType<XmlElement>().FirstOrDefault(e => e.LocalName == "Signature" && e.NamespaceURI == DSig);

    public static XmlElement NameId(XmlElement assertion) => Child(Child(assertion, "Subject"), "NameID");

    public static XmlElement SubjectConfirmationData(XmlElement assertion) => Child(Child(Child(assertion, "Subject"), "SubjectConfirmation"), "SubjectConfirmationData");

    /// <summary>A copy of the assertion that says "bob" and carries no signature: what every XSW variant smuggles in.</summary>
    public static XmlElement EvilAssertion(XmlElement original, string id = "_evil")
    {
        var evil = (XmlElement)original.CloneNode(deep: true);
        evil.SetAttribute("ID", id);
        if (SignatureOf(evil) is { } signature)
        {
            evil.RemoveChild(signature);
        }

        NameId(evil).InnerText = "bob";
        return evil;
    }

    /// <summary>Signs <paramref name="element"/> as samlify does (exclusive c14n, enveloped, after the Issuer), replacing any signature it had.</summary>
    public static void Sign(XmlElement element, RSA key, X509Certificate2? keyInfoCertificate = null, bool sha1 = false)
    {
        if (SignatureOf(element) is { } old)
        {
            element.RemoveChild(old);
        }

        var signedXml = new SignedXml(element) { SigningKey = key };
        signedXml.SignedInfo!.CanonicalizationMethod = SignedXml.XmlDsigExcC14NTransformUrl;
        signedXml.SignedInfo.SignatureMethod = sha1 ? SignedXml.XmlDsigRSASHA1Url : SignedXml.XmlDsigRSASHA256Url;
        var reference = new Reference("#" + element.GetAttribute("ID")) { DigestMethod = sha1 ? SignedXml.XmlDsigSHA1Url : SignedXml.XmlDsigSHA256Url };
        reference.AddTransform(new XmlDsigEnvelopedSignatureTransform());
        reference.AddTransform(new XmlDsigExcC14NTransform());
        signedXml.AddReference(reference);
        if (keyInfoCertificate is not null)
        {
            signedXml.KeyInfo = new KeyInfo();
            signedXml.KeyInfo.AddClause(new KeyInfoX509Data(keyInfoCertificate));
        }

        signedXml.ComputeSignature();
        var signature = element.OwnerDocument.ImportNode(signedXml.GetXml(), deep: true);
        element.InsertAfter(signature, Child(element, "Issuer"));
    }
}
