using System.Xml;

namespace Portico.Authentication.Saml;

/// <summary>
/// Portico's service provider metadata for the identity provider: its entity id, the ACS where
/// responses are posted, the SLO endpoint when single logout is on, and that assertions must be
/// signed. Served at /{prefix}/saml/metadata; the same function serves Qlik's
/// /qrs/virtualproxyconfig/{id}/generate/samlmetadata.
/// </summary>
internal static class SpMetadata
{
    public static string Generate(SamlServiceProvider sp)
    {
        var settings = new XmlWriterSettings { Indent = true, OmitXmlDeclaration = false, Encoding = new System.Text.UTF8Encoding(false) };
        using var text = new Utf8StringWriter();
        using (var writer = XmlWriter.Create(text, settings))
        {
            writer.WriteStartElement("md", "EntityDescriptor", SamlXml.Metadata);
            writer.WriteAttributeString("entityID", sp.EntityId);
            writer.WriteStartElement("md", "SPSSODescriptor", SamlXml.Metadata);
            writer.WriteAttributeString("AuthnRequestsSigned", "false");
            writer.WriteAttributeString("WantAssertionsSigned", "true");
            writer.WriteAttributeString("protocolSupportEnumeration", SamlXml.Protocol);
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
