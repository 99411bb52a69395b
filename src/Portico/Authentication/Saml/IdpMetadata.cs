using System.Security.Cryptography.X509Certificates;
using System.Xml;

namespace Portico.Authentication.Saml;

/// <summary>What Portico takes from the identity provider's metadata (samlMetadataIdP).</summary>
internal sealed record IdpMetadata(string EntityId, Uri SingleSignOnUrl, Uri? SingleLogoutUrl, IReadOnlyList<X509Certificate2> SigningCertificates)
{
    /// <summary>Parses the metadata; null with every problem found when it cannot be used.</summary>
    public static IdpMetadata? TryParse(string? xml, out IReadOnlyList<string> errors)
    {
        var found = new List<string>();
        errors = found;
        if (string.IsNullOrWhiteSpace(xml))
        {
            found.Add("is empty");
            return null;
        }

        if (SamlXml.Parse(xml, out var parseError) is not { DocumentElement: { } root })
        {
            found.Add("is not well-formed XML without a DTD: " + parseError);
            return null;
        }

        if (root.LocalName != "EntityDescriptor" || root.NamespaceURI != SamlXml.Metadata)
        {
            found.Add("must be one md:EntityDescriptor (urn:oasis:names:tc:SAML:2.0:metadata), as the identity provider publishes it");
            return null;
        }

        var entityId = SamlXml.Attribute(root, "entityID");
        if (string.IsNullOrWhiteSpace(entityId))
        {
            found.Add("has no entityID");
        }

        if (SamlXml.Single(root, SamlXml.Metadata, "IDPSSODescriptor") is not { } descriptor)
        {
            found.Add("must hold exactly one IDPSSODescriptor");
            return null;
        }

        var sso = Service(descriptor, "SingleSignOnService");
        if (sso is null)
        {
            found.Add("has no SingleSignOnService with the HTTP-Redirect binding and an absolute https (or http) Location; Portico sends its AuthnRequest that way");
        }

        var certificates = new List<X509Certificate2>();
        foreach (var key in SamlXml.Children(descriptor, SamlXml.Metadata, "KeyDescriptor"))
        {
            // A key without "use" serves both signing and encryption (SAML metadata 2.4.1.1).
            if (SamlXml.Attribute(key, "use") is { } use && use != "signing")
            {
                continue;
            }

            foreach (var text in Certificates(key))
            {
                try
                {
                    var certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(string.Concat(text.Where(c => !char.IsWhiteSpace(c)))));
                    if (certificate.GetRSAPublicKey() is null)
                    {
                        found.Add("has a signing certificate without an RSA key; Portico verifies RSA signatures");
                        continue;
                    }

                    certificates.Add(certificate);
                }
                catch (Exception e) when (e is FormatException or System.Security.Cryptography.CryptographicException)
                {
                    found.Add("has a signing X509Certificate that does not parse: " + e.Message);
                }
            }
        }

        if (certificates.Count == 0 && found.Count == 0)
        {
            found.Add("has no signing certificate (KeyDescriptor use=\"signing\" with an X509Certificate); Portico accepts only responses signed by it");
        }

        return found.Count == 0 ? new IdpMetadata(entityId!, sso!, Service(descriptor, "SingleLogoutService"), certificates) : null;
    }

    private static Uri? Service(XmlElement descriptor, string name) =>
        SamlXml.Children(descriptor, SamlXml.Metadata, name)
            .Where(s => SamlXml.Attribute(s, "Binding") == SamlXml.RedirectBinding)
            .Select(s => Uri.TryCreate(SamlXml.Attribute(s, "Location"), UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" ? uri : null)
            .FirstOrDefault(u => u is not null);

    private static IEnumerable<string> Certificates(XmlElement keyDescriptor)
    {
        foreach (var keyInfo in SamlXml.Children(keyDescriptor, SamlXml.DSig, "KeyInfo"))
        {
            foreach (var data in SamlXml.Children(keyInfo, SamlXml.DSig, "X509Data"))
            {
                foreach (var certificate in SamlXml.Children(data, SamlXml.DSig, "X509Certificate"))
                {
                    if (SamlXml.TextOnly(certificate) is { } text)
                    {
                        yield return text;
                    }
                }
            }
        }
    }
}
