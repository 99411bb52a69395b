using System.Security.Cryptography.Xml;
using System.Xml;
using Portico.Authentication.Saml;
using Portico.Tests.Functional.Authentication.Saml;

namespace Portico.Tests.Unit.Authentication.Saml;

public sealed class SamlResponseValidatorTests
{
    private readonly SamlTestIdp _idp = SamlTestIdp.Shared;

    private SamlValidation Validate(XmlDocument document, DateTimeOffset? now = null) =>
        SamlResponseValidator.Validate(SamlForgery.Encode(document), _idp.ServiceProvider(), now ?? SamlTestIdp.Now);

    [Fact]
    public void Validate_SignedAssertion_ReadsSubjectRequestAndAttributes()
    {
        var result = Validate(_idp.Response());

        Assert.True(result.Succeeded, result.Detail);
        Assert.Equal("alice", result.Assertion!.NameId);
        Assert.Equal("_req1", result.Assertion.InResponseTo);
        Assert.Equal("_s1", result.Assertion.SessionIndex);
        Assert.Equal(["sales", "emea"], result.Assertion.Attributes.Single().Values);
    }

    [Fact]
    public void Validate_ReferencePointsToAnotherElement_RefusedAsWrapping()
    {
        // A valid signature over the Response placed inside the assertion: its reference names another element.
        var document = _idp.Response();
        var assertion = SamlForgery.AssertionOf(document.DocumentElement!);
        assertion.RemoveChild(SamlForgery.SignatureOf(assertion)!);
        SamlForgery.Sign(document.DocumentElement!, _idp.Key);
        var signature = SamlForgery.SignatureOf(document.DocumentElement!)!;
        document.DocumentElement!.RemoveChild(signature);
        assertion.InsertAfter(signature, SamlForgery.Child(assertion, "Issuer"));

        var result = Validate(document);

        Assert.Equal(SamlRefusal.SignatureWrapping, result.Refusal);
    }

    [Fact]
    public void Validate_SignedIdTwiceInDocument_RefusedAsWrapping()
    {
        var document = _idp.Response();
        var decoy = document.CreateElement("samlp", "Extensions", SamlForgery.Protocol);
        decoy.SetAttribute("ID", "_assert1");
        document.DocumentElement!.InsertBefore(decoy, SamlForgery.AssertionOf(document.DocumentElement!));

        Assert.Equal(SamlRefusal.SignatureWrapping, Validate(document).Refusal);
    }

    [Fact]
    public void Validate_DisallowedTransform_Refused()
    {
        var document = _idp.Response(d => { });
        var assertion = SamlForgery.AssertionOf(document.DocumentElement!);
        assertion.RemoveChild(SamlForgery.SignatureOf(assertion)!);
        var signedXml = new SignedXml(assertion) { SigningKey = _idp.Key };
        signedXml.SignedInfo!.CanonicalizationMethod = SignedXml.XmlDsigExcC14NTransformUrl;
        var reference = new Reference("#_assert1") { DigestMethod = SignedXml.XmlDsigSHA256Url };
        reference.AddTransform(new XmlDsigEnvelopedSignatureTransform());
        reference.AddTransform(new XmlDsigC14NWithCommentsTransform());
        signedXml.AddReference(reference);
        signedXml.ComputeSignature();
        assertion.InsertAfter(document.ImportNode(signedXml.GetXml(), true), SamlForgery.Child(assertion, "Issuer"));

        Assert.Equal(SamlRefusal.SignatureInvalid, Validate(document).Refusal);
    }

    [Fact]
    public void Validate_OutsideTimeWindowBeyondSkew_Refused()
    {
        Assert.Equal(SamlRefusal.NotYetValid, Validate(_idp.Response(), SamlTestIdp.Now.AddMinutes(-10)).Refusal);
        Assert.Equal(SamlRefusal.Expired, Validate(_idp.Response(), SamlTestIdp.Now.AddMinutes(10)).Refusal);
    }

    [Fact]
    public void Validate_WithinClockSkew_Accepted()
    {
        Assert.True(Validate(_idp.Response(), SamlTestIdp.Now.AddMinutes(-1)).Succeeded);
    }

    [Fact]
    public void Validate_WrongAudience_Refused()
    {
        Assert.Equal(SamlRefusal.Audience, Validate(_idp.Response(audience: "https://other.example.test")).Refusal);
    }

    [Fact]
    public void Validate_UnsolicitedResponse_Refused()
    {
        var document = _idp.Response(d =>
        {
            d.DocumentElement!.RemoveAttribute("InResponseTo");
            SamlForgery.SubjectConfirmationData(SamlForgery.AssertionOf(d.DocumentElement!)).RemoveAttribute("InResponseTo");
        });

        Assert.Equal(SamlRefusal.InResponseTo, Validate(document).Refusal);
    }

    [Fact]
    public void Validate_EncryptedAssertion_RefusedWithReason()
    {
        var document = _idp.Response();
        var encrypted = document.CreateElement("saml", "EncryptedAssertion", SamlForgery.Assertion);
        document.DocumentElement!.AppendChild(encrypted);

        var result = Validate(document);

        Assert.Equal(SamlRefusal.Encrypted, result.Refusal);
        Assert.Contains("encryption off", result.Detail);
    }

    [Fact]
    public void Validate_Dtd_RefusedBeforeAnythingExpands()
    {
        var xml = "<!DOCTYPE r [<!ENTITY x \"boom\">]><samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\">&x;</samlp:Response>";
        var result = SamlResponseValidator.Validate(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(xml)), _idp.ServiceProvider(), SamlTestIdp.Now);

        Assert.Equal(SamlRefusal.Malformed, result.Refusal);
    }

    [Fact]
    public void Validate_OversizedOrNotBase64_RefusedAsMalformed()
    {
        Assert.Equal(SamlRefusal.Malformed, SamlResponseValidator.Validate(new string('A', SamlResponseValidator.MaxEncodedLength + 4), _idp.ServiceProvider(), SamlTestIdp.Now).Refusal);
        Assert.Equal(SamlRefusal.Malformed, SamlResponseValidator.Validate("not base64!", _idp.ServiceProvider(), SamlTestIdp.Now).Refusal);
    }
}
