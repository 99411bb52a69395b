using System.Xml;

namespace Portico.Authentication.Saml;

/// <summary>
/// Parsing and reading of SAML XML. Documents are parsed with DTDs prohibited and no resolver, so
/// an entity or an external reference can neither expand nor fetch anything; elements are only ever
/// found as children of an element already in hand, never by a search over the whole document.
/// </summary>
internal static class SamlXml
{
    public const string Protocol = "urn:oasis:names:tc:SAML:2.0:protocol";
    public const string Assertion = "urn:oasis:names:tc:SAML:2.0:assertion";
    public const string Metadata = "urn:oasis:names:tc:SAML:2.0:metadata";
    public const string DSig = "http://www.w3.org/2000/09/xmldsig#";
    public const string EncryptedXml = "http://www.w3.org/2001/04/xmlenc#";
    public const string RedirectBinding = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
    public const string PostBinding = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";
    public const string Success = "urn:oasis:names:tc:SAML:2.0:status:Success";
    public const string BearerMethod = "urn:oasis:names:tc:SAML:2.0:cm:bearer";

    /// <summary>Bounds what one message may make the parser build.</summary>
    public const long MaxCharacters = 1_000_000;

    /// <returns>The document, or null with the parser's complaint when the text is not well-formed XML without a DTD.</returns>
    public static XmlDocument? Parse(string xml, out string? error)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = MaxCharacters,
            MaxCharactersFromEntities = 0,
            IgnoreProcessingInstructions = true,
        };
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), settings);
            document.Load(reader);
            error = null;
            return document;
        }
        catch (XmlException e)
        {
            error = e.Message;
            return null;
        }
    }

    public static IEnumerable<XmlElement> Children(XmlElement parent, string ns, string localName)
    {
        foreach (XmlNode node in parent.ChildNodes)
        {
            if (node is XmlElement element && element.LocalName == localName && element.NamespaceURI == ns)
            {
                yield return element;
            }
        }
    }

    /// <returns>The only such child; null when there is none or more than one.</returns>
    public static XmlElement? Single(XmlElement parent, string ns, string localName)
    {
        XmlElement? found = null;
        foreach (var child in Children(parent, ns, localName))
        {
            if (found is not null)
            {
                return null;
            }

            found = child;
        }

        return found;
    }

    public static int Count(XmlElement parent, string ns, string localName) => Children(parent, ns, localName).Count();

    /// <summary>
    /// The text of an element that may hold only text. A comment, a processing instruction or a child
    /// element inside it returns null: "alice<!---->@evil.example" reads as one value to some parsers
    /// and as "alice" to others (the comment-truncation break), so such a value is refused, not read.
    /// </summary>
    public static string? TextOnly(XmlElement element)
    {
        var text = new System.Text.StringBuilder();
        foreach (XmlNode node in element.ChildNodes)
        {
            switch (node.NodeType)
            {
                case XmlNodeType.Text:
                case XmlNodeType.CDATA:
                case XmlNodeType.Whitespace:
                case XmlNodeType.SignificantWhitespace:
                    text.Append(node.Value);
                    break;
                default:
                    return null;
            }
        }

        return text.ToString();
    }

    public static string? Attribute(XmlElement element, string name) =>
        element.GetAttributeNode(name) is { } attribute ? attribute.Value : null;
}
