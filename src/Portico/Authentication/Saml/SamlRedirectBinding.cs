using System.IO.Compression;
using System.Text;
using System.Xml;

namespace Portico.Authentication.Saml;

/// <summary>
/// Messages Portico sends by the HTTP-Redirect binding (SAML bindings 3.4): the XML deflated,
/// base64-encoded and URL-encoded into SAMLRequest, with RelayState beside it.
/// </summary>
internal static class SamlRedirectBinding
{
    /// <summary>An AuthnRequest asking for a response by HTTP-POST to the ACS, signed with Portico's key.</summary>
    public static string AuthnRequestUrl(SamlServiceProvider sp, SamlSigningKey key, string requestId, DateTimeOffset now, string? relayState) =>
        Url(sp.Idp.SingleSignOnUrl, Message("AuthnRequest", requestId, now, sp.Idp.SingleSignOnUrl, sp.EntityId, writer =>
        {
            writer.WriteAttributeString("ProtocolBinding", SamlXml.PostBinding);
            writer.WriteAttributeString("AssertionConsumerServiceURL", sp.AcsUrl.AbsoluteUri);
        }, body: null), relayState, key, sp.WeakestAlgorithm);

    /// <summary>A LogoutRequest for the user's NameID and the session index the identity provider gave, signed with Portico's key.</summary>
    public static string LogoutRequestUrl(SamlServiceProvider sp, SamlSigningKey key, Uri sloUrl, string requestId, DateTimeOffset now, string nameId, string? sessionIndex) =>
        Url(sloUrl, Message("LogoutRequest", requestId, now, sloUrl, sp.EntityId, attributes: null, body: writer =>
        {
            writer.WriteElementString("saml", "NameID", SamlXml.Assertion, nameId);
            if (sessionIndex is not null)
            {
                writer.WriteElementString("samlp", "SessionIndex", SamlXml.Protocol, sessionIndex);
            }
        }), relayState: null, key, sp.WeakestAlgorithm);

    /// <summary>Undoes the binding's encoding; for tests and for reading a LogoutResponse.</summary>
    public static string Decode(string samlMessage)
    {
        using var input = new DeflateStream(new MemoryStream(Convert.FromBase64String(samlMessage)), CompressionMode.Decompress);
        using var reader = new StreamReader(input, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static string Message(string name, string id, DateTimeOffset now, Uri destination, string issuer, Action<XmlWriter>? attributes, Action<XmlWriter>? body)
    {
        var text = new StringBuilder();
        using (var writer = XmlWriter.Create(text, new XmlWriterSettings { OmitXmlDeclaration = true }))
        {
            writer.WriteStartElement("samlp", name, SamlXml.Protocol);
            writer.WriteAttributeString("xmlns", "saml", null, SamlXml.Assertion);
            writer.WriteAttributeString("ID", id);
            writer.WriteAttributeString("Version", "2.0");
            writer.WriteAttributeString("IssueInstant", now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteAttributeString("Destination", destination.AbsoluteUri);
            attributes?.Invoke(writer);
            writer.WriteElementString("saml", "Issuer", SamlXml.Assertion, issuer);
            body?.Invoke(writer);
            writer.WriteEndElement();
        }

        return text.ToString();
    }

    private static string Url(Uri endpoint, string xml, string? relayState, SamlSigningKey key, Configuration.SamlSigningAlgorithm algorithm)
    {
        using var compressed = new MemoryStream();
        using (var deflate = new DeflateStream(compressed, CompressionLevel.Optimal))
        {
            var bytes = Encoding.UTF8.GetBytes(xml);
            deflate.Write(bytes);
        }

        var query = "SAMLRequest=" + Uri.EscapeDataString(Convert.ToBase64String(compressed.ToArray()))
            + (relayState is null ? "" : "&RelayState=" + Uri.EscapeDataString(relayState))
            + "&SigAlg=" + Uri.EscapeDataString(SamlSigningKey.SigAlg(algorithm));
        query += "&Signature=" + Uri.EscapeDataString(Convert.ToBase64String(key.Sign(query, algorithm)));
        var separator = endpoint.Query.Length == 0 ? "?" : "&";
        return endpoint.AbsoluteUri + separator + query;
    }
}
