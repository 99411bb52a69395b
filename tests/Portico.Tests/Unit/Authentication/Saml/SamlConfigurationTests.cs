using System.Security.Cryptography.X509Certificates;
using System.Xml;
using Portico.Authentication.Saml;
using Portico.Configuration;
using Portico.Configuration.Rules;

namespace Portico.Tests.Unit.Authentication.Saml;

/// <summary>SamlRules, the SP metadata generator, the user mapping and the request store.</summary>
public sealed class SamlConfigurationTests
{
    private readonly SamlTestIdp _idp = SamlTestIdp.Shared;

    private static IReadOnlyList<ConfigError> Check(VirtualProxyConfig vp)
    {
        var errors = new ConfigErrors();
        new SamlRules().Check(new PorticoConfig { VirtualProxies = [vp] }, errors);
        return errors.All;
    }

    [Fact]
    public void Rules_CompleteConfig_NoErrors()
    {
        Assert.Empty(Check(_idp.Config()));
    }

    [Fact]
    public void Rules_MissingFields_EachNamedWithItsFix()
    {
        var errors = Check(new VirtualProxyConfig { AuthenticationMethod = AuthenticationMethod.Saml });

        var paths = errors.Select(e => e.Path).ToList();
        Assert.Contains("virtualProxies[0].prefix", paths);
        Assert.Contains("virtualProxies[0].samlMetadataIdP", paths);
        Assert.Contains("virtualProxies[0].samlHostUri", paths);
        Assert.Contains("virtualProxies[0].samlEntityId", paths);
        Assert.Contains("virtualProxies[0].samlAttributeUserDirectory", paths);
    }

    [Theory]
    [InlineData("http://portico.example.test")]
    [InlineData("https://portico.example.test/sub")]
    [InlineData("portico.example.test")]
    public void Rules_HostUriNotHttpsOrWithPath_Refused(string hostUri)
    {
        Assert.Contains(Check(_idp.Config() with { SamlHostUri = hostUri }), e => e.Path == "virtualProxies[0].samlHostUri");
    }

    [Fact]
    public void Rules_SloWithoutIdpSloService_Refused()
    {
        Assert.Contains(Check(_idp.Config() with { SamlMetadataIdP = _idp.Metadata(slo: false) }), e => e.Path == "virtualProxies[0].samlSlo");
    }

    [Fact]
    public void Rules_MetadataWithDtd_Refused()
    {
        Assert.Contains(Check(_idp.Config() with { SamlMetadataIdP = "<!DOCTYPE x [<!ENTITY e \"e\">]>" + _idp.Metadata() }), e => e.Path == "virtualProxies[0].samlMetadataIdP");
    }

    [Fact]
    public void SpMetadata_NamesEntityAcsAndSlo()
    {
        var document = new XmlDocument();
        document.LoadXml(SpMetadata.Generate(_idp.ServiceProvider(), _idp.PorticoKey.Certificate));
        var xml = document.OuterXml;

        Assert.Equal(SamlTestIdp.SpEntityId, document.DocumentElement!.GetAttribute("entityID"));
        Assert.Contains($"Location=\"{SamlTestIdp.Acs}\"", xml);
        Assert.Contains("Location=\"https://portico.example.test/sales/saml/slo\"", xml);
        Assert.Contains(Convert.ToBase64String(_idp.PorticoKey.Certificate.RawData), xml);
        Assert.DoesNotContain("SingleLogoutService", SpMetadata.Generate(_idp.ServiceProvider() with { SingleLogout = false }, _idp.PorticoKey.Certificate));
    }

    private static SamlAssertion Assertion(params SamlAttribute[] attributes) => new("alice", "_req1", null, attributes);

    [Fact]
    public void Mapping_FixedDirectoryAndNameId_MapsAttributesByFriendlyName()
    {
        var user = SamlUserMapping.Map(Assertion(new SamlAttribute("urn:oid:groups", "groups", ["sales", "emea"])), _idp.ServiceProvider(), out var refusal);

        Assert.Null(refusal);
        Assert.Equal(("CORP", "alice"), (user!.UserDirectory, user.UserId));
        Assert.Equal([new("group", "sales"), new("group", "emea")], user.Attributes);
    }

    [Fact]
    public void Mapping_DirectoryAndUserIdFromAttributes()
    {
        var sp = _idp.ServiceProvider() with { FixedUserDirectory = null, UserDirectoryAttribute = "dir", UserIdAttribute = "uid" };

        var user = SamlUserMapping.Map(Assertion(new SamlAttribute("dir", null, ["SALES"]), new SamlAttribute("uid", null, ["a.lice"])), sp, out _);

        Assert.Equal(("SALES", "a.lice"), (user!.UserDirectory, user.UserId));
    }

    [Fact]
    public void Mapping_MandatoryAttributeMissing_Refused()
    {
        var sp = _idp.ServiceProvider() with { AttributeMap = [new SamlAttributeMapping { SamlAttribute = "groups", SenseAttribute = "group", IsMandatory = true }] };

        Assert.Null(SamlUserMapping.Map(Assertion(), sp, out var refusal));
        Assert.Equal(SamlRefusal.Attributes, refusal!.Refusal);
    }

    [Fact]
    public void Mapping_ReservedDirectory_RefusedAsIdentity()
    {
        var sp = _idp.ServiceProvider() with { FixedUserDirectory = null, UserDirectoryAttribute = "dir" };

        Assert.Null(SamlUserMapping.Map(Assertion(new SamlAttribute("dir", null, ["anonymous"])), sp, out var refusal));
        Assert.Equal(SamlRefusal.Identity, refusal!.Refusal);
    }

    [Fact]
    public void RequestStore_ConsumedOnceForItsVirtualProxyOnly()
    {
        var store = new SamlRequestStore(TimeProvider.System);
        var id = store.Register("sales", "target1")!;

        Assert.StartsWith("_", id);
        Assert.False(store.TryConsume(id, "other", out _));
        Assert.True(store.TryConsume(id, "sales", out var target));
        Assert.Equal("target1", target);
        Assert.False(store.TryConsume(id, "sales", out _));
    }

    [Fact]
    public void RequestStore_Full_RefusesInsteadOfEvicting()
    {
        var store = new SamlRequestStore(TimeProvider.System, capacity: 2);
        var first = store.Register("sales", null)!;
        store.Register("sales", null);

        Assert.Null(store.Register("sales", null));
        Assert.True(store.TryConsume(first, "sales", out _));
    }

    [Fact]
    public void AuthnRequest_RedirectBinding_DeflatedWithRequestIdAndAcs()
    {
        var url = new Uri(SamlRedirectBinding.AuthnRequestUrl(_idp.ServiceProvider(), _idp.PorticoKey, "_abc", SamlTestIdp.Now, "t1"));
        var query = System.Web.HttpUtility.ParseQueryString(url.Query);

        var xml = SamlRedirectBinding.Decode(query["SAMLRequest"]!);
        Assert.Equal("https://idp.example.test/sso", url.GetLeftPart(UriPartial.Path));
        Assert.Equal("t1", query["RelayState"]);
        Assert.Contains("ID=\"_abc\"", xml);
        Assert.Contains($"AssertionConsumerServiceURL=\"{SamlTestIdp.Acs}\"", xml);

        // Signed as the binding says: over SAMLRequest, RelayState and SigAlg exactly as sent.
        Assert.Equal(System.Security.Cryptography.Xml.SignedXml.XmlDsigRSASHA256Url, query["SigAlg"]);
        var octets = url.Query[1..url.Query.IndexOf("&Signature=", StringComparison.Ordinal)];
        using var key = _idp.PorticoKey.Certificate.GetRSAPublicKey()!;
        Assert.True(key.VerifyData(System.Text.Encoding.ASCII.GetBytes(octets), Convert.FromBase64String(query["Signature"]!), System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1));
    }
}
