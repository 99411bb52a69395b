using System.Xml;

namespace Portico.Authentication.Saml;

/// <summary>
/// Portico's service provider metadata for the identity provider: its entity id, its signing certificate, the ACS where
/// responses are posted, the SLO endpoint when single logout is on, and that assertions must be
/// signed. Served at /{prefix}/saml/metadata; the same function serves Qlik's
/// /qrs/virtualproxyconfig/{id}/generate/samlmetadata.
/// </summary>
internal static class SpMetadata
{
    /// <param name="signingCertificate">Portico's SAML signing certificate (<see cref="SamlSigningKey"/>): the IdP checks Portico's requests with it.</param>
    public static string Generate(SamlServiceProvider sp, System.Security.Cryptography.X509Certificates.X509Certificate2 signingCertificate)
    {
        var settings = new XmlWriterSettings { Indent = true, OmitXmlDeclaration = false, Encoding = new System.Text.UTF8Encoding(false) };
        using var text = new Utf8StringWriter();
        using (var writer = XmlWriter.Create(text, settings))
        {
            writer.WriteStartElement("md", "EntityDescriptor", SamlXml.Metadata);
            writer.WriteAttributeString("entityID", sp.EntityId);
            writer.WriteStartElement("md", "SPSSODescriptor", SamlXml.Metadata);
            writer.WriteAttributeString("AuthnRequestsSigned", "true");
            writer.WriteAttributeString("WantAssertionsSigned", "true");
            writer.WriteAttributeString("protocolSupportEnumeration", SamlXml.Protocol);
            writer.WriteStartElement("md", "KeyDescriptor", SamlXml.Metadata);
            writer.WriteAttributeString("use", "signing");
            writer.WriteStartElement("ds", "KeyInfo", SamlXml.DSig);
            writer.WriteStartElement("ds", "X509Data", SamlXml.DSig);
            writer.WriteElementString("ds", "X509Certificate", SamlXml.DSig, Convert.ToBase64String(signingCertificate.RawData));
            writer.WriteEndElement();
            writer.WriteEndElement();
            writer.WriteEndElement();
            if (sp.SingleLogout)
            {
                writer.WriteStartElement("md", "SingleLogoutService", SamlXml.Metadata);
                writer.WriteAttributeString("Binding", SamlXml.RedirectBinding);
                writer.WriteAttributeString("Location", sp.SloUrl.AbsoluteUri);
                writer.WriteEndElement();
            }

            writer.WriteElementString("md", "NameIDFormat", SamlXml.Metadata, "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified");
            writer.WriteStartElement("md", "AssertionConsumerService", SamlXml.Metadata);
            writer.WriteAttributeString("Binding", SamlXml.PostBinding);
            writer.WriteAttributeString("Location", sp.AcsUrl.AbsoluteUri);
            writer.WriteAttributeString("index", "0");
            writer.WriteAttributeString("isDefault", "true");
            writer.WriteEndElement();
            writer.WriteEndElement();
            writer.WriteEndElement();
        }

        return text.ToString();
    }

    private sealed class Utf8StringWriter : StringWriter
    {
        public Utf8StringWriter()
            : base(System.Globalization.CultureInfo.InvariantCulture)
        {
        }

        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;
    }
}
