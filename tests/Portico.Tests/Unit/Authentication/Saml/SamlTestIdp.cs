using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml;
using Portico.Authentication.Saml;
using Portico.Configuration;
using Portico.Tests.Functional.Authentication.Saml;

namespace Portico.Tests.Unit.Authentication.Saml;

/// <summary>An identity provider key, its metadata, and responses written and signed as an IdP would.</summary>
internal sealed class SamlTestIdp
{

    public const string EntityId = "https://idp.example.test";
    public const string SpEntityId = "https://portico.example.test/saml";
    public const string Acs = "https://portico.example.test/sales/saml/acs";
    public static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    /// <summary>One key for all tests (declared after <see cref="Now"/>, which it uses): making an RSA key is the slowest thing these tests would do.</summary>
    public static SamlTestIdp Shared { get; } = new();

    public RSA Key { get; } = RSA.Create(2048);

    /// <summary>Portico's own signing key, in a data directory of its own.</summary>
    public SamlSigningKey PorticoKey { get; } = new(Path.Combine(Path.GetTempPath(), "portico-tests", Guid.NewGuid().ToString("n")));

    public X509Certificate2 Certificate { get; }

    private SamlTestIdp() =>
        Certificate = new CertificateRequest("CN=idp", Key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSelfSigned(Now.AddDays(-1), Now.AddDays(30));

    public string Metadata(bool slo = true) =>
        $"""
        <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="{EntityId}">
          <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
            <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{Convert.ToBase64String(Certificate.RawData)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
            {(slo ? "<md:SingleLogoutService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect\" Location=\"https://idp.example.test/slo\"/>" : "")}
            <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.test/sso"/>
          </md:IDPSSODescriptor>
        </md:EntityDescriptor>
        """;

    public VirtualProxyConfig Config() => new()
    {
        Prefix = "sales",
        AuthenticationMethod = AuthenticationMethod.Saml,
        SamlMetadataIdP = Metadata(),
        SamlHostUri = "https://portico.example.test",
        SamlEntityId = SpEntityId,
        SamlAttributeUserDirectory = "[CORP]",
        SamlAttributeMap = [new SamlAttributeMapping { SamlAttribute = "groups", SenseAttribute = "group" }],
        SamlSlo = true,
    };

    public SamlServiceProvider ServiceProvider() => SamlServiceProvider.FromConfig(Config())!;

    /// <summary>A response to request "_req1" for alice, assertion signed; <paramref name="alter"/> runs before signing.</summary>
    public XmlDocument Response(Action<XmlDocument>? alter = null, string audience = SpEntityId)
    {
        var notOnOrAfter = Xs(Now.AddMinutes(5));
        var xml = $"""
            <samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_resp1" Version="2.0" IssueInstant="{Xs(Now)}" Destination="{Acs}" InResponseTo="_req1"><saml:Issuer>{EntityId}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status><saml:Assertion ID="_assert1" Version="2.0" IssueInstant="{Xs(Now)}"><saml:Issuer>{EntityId}</saml:Issuer><saml:Subject><saml:NameID>alice</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="{notOnOrAfter}" Recipient="{Acs}" InResponseTo="_req1"/></saml:SubjectConfirmation></saml:Subject><saml:Conditions NotBefore="{Xs(Now)}" NotOnOrAfter="{notOnOrAfter}"><saml:AudienceRestriction><saml:Audience>{audience}</saml:Audience></saml:AudienceRestriction></saml:Conditions><saml:AuthnStatement AuthnInstant="{Xs(Now)}" SessionIndex="_s1"/><saml:AttributeStatement><saml:Attribute Name="urn:oid:groups" FriendlyName="groups"><saml:AttributeValue>sales</saml:AttributeValue><saml:AttributeValue>emea</saml:AttributeValue></saml:Attribute></saml:AttributeStatement></saml:Assertion></samlp:Response>
            """;
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        document.LoadXml(xml);
        alter?.Invoke(document);
        SamlForgery.Sign(SamlForgery.AssertionOf(document.DocumentElement!), Key);
        return document;
    }

    public static string Xs(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
}
