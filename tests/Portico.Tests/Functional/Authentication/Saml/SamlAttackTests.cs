using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml;
using Portico.Audit;
using Portico.Tests.Support;
using static Portico.Tests.Functional.Authentication.Saml.SamlForgery;

namespace Portico.Tests.Functional.Authentication.Saml;

/// <summary>
/// The classic SAML breaks, each made from a real response samlify signed for a real request of
/// Portico's: every one is refused with 403, no session, and a saml.refused audit event with its reason.
/// </summary>
public sealed class SamlAttackTests(SamlFixture fixture) : IClassFixture<SamlFixture>
{
    [Fact]
    public async Task Unsigned_AssertionWithoutSignature_Refused()
    {
        await RefusedAsync(d => AssertionOf(Response(d)).RemoveChild(SignatureOf(AssertionOf(Response(d)))!), "saml_unsigned");
    }

    [Fact]
    public async Task Altered_NameIdChangedAfterSigning_Refused()
    {
        await RefusedAsync(d => NameId(AssertionOf(Response(d))).InnerText = "bob", "saml_signature_invalid");
    }

    [Fact]
    public async Task CommentInNameId_SignatureStillValid_Refused()
    {
        // Exclusive c14n drops comments, so the signature still verifies: only reading the NameID can catch it.
        await RefusedAsync(d =>
        {
            var nameId = NameId(AssertionOf(Response(d)));
            nameId.InnerText = "bob";
            nameId.AppendChild(d.CreateComment("x"));
            nameId.AppendChild(d.CreateTextNode(".evil"));
            Sign(AssertionOf(Response(d)), fixture.Idp.SigningKey);
        }, "saml_subject");
    }

    [Fact]
    public async Task Replayed_SameResponseTwice_SecondRefused()
    {
        var (client, post) = await FreshResponseAsync();
        using (client)
        {
            using var first = await SamlAcs.PostAsync(client, post.Acs, post.SamlResponse);
            Assert.Equal(HttpStatusCode.SeeOther, first.StatusCode);
            using var second = await SamlAcs.PostAsync(client, post.Acs, post.SamlResponse);
            Assert.Equal(HttpStatusCode.Forbidden, second.StatusCode);
        }

        await AuditedAsync("saml_in_response_to");
    }

    [Fact]
    public async Task WrongAudience_SignedByIdentityProvider_Refused()
    {
        await RefusedAsync(d => Resign(d, a => Child(Child(Child(a, "Conditions"), "AudienceRestriction"), "Audience").InnerText = "https://other.example/sp"), "saml_audience");
    }

    [Fact]
    public async Task WrongRecipient_SignedByIdentityProvider_Refused()
    {
        await RefusedAsync(d => Resign(d, a => SubjectConfirmationData(a).SetAttribute("Recipient", "https://evil.example/acs")), "saml_destination");
    }

    [Fact]
    public async Task WrongDestination_OnResponse_Refused()
    {
        await RefusedAsync(d => Response(d).SetAttribute("Destination", "https://evil.example/acs"), "saml_destination");
    }

    [Fact]
    public async Task Expired_NotOnOrAfterPassed_Refused()
    {
        var past = DateTimeOffset.UtcNow.AddMinutes(-10).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        await RefusedAsync(d => Resign(d, a =>
        {
            SubjectConfirmationData(a).SetAttribute("NotOnOrAfter", past);
            Child(a, "Conditions").SetAttribute("NotOnOrAfter", past);
        }), "saml_expired");
    }

    [Fact]
    public async Task SignedByAnotherKey_Refused()
    {
        using var other = RSA.Create(2048);
        await RefusedAsync(d => Sign(AssertionOf(Response(d)), other), "saml_signature_invalid");
    }

    [Fact]
    public async Task KeyInKeyInfo_NotTheConfiguredOne_Refused()
    {
        using var other = RSA.Create(2048);
        using var certificate = new CertificateRequest("CN=attacker", other, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        await RefusedAsync(d => Sign(AssertionOf(Response(d)), other, keyInfoCertificate: certificate), "saml_signature_invalid");
    }

    [Fact]
    public async Task Sha1Signature_WhenSha256Configured_Refused()
    {
        await RefusedAsync(d => Sign(AssertionOf(Response(d)), fixture.Idp.SigningKey, sha1: true), "saml_weak_algorithm");
    }

    // Signature wrapping, as catalogued by Somorovsky et al. ("On Breaking SAML", 2012).
    // XSW1 and XSW2 need a signed Response: the identity provider's key signs it first, as IdPs that sign responses do.
    public static TheoryData<string> WrappingVariants => ["XSW1", "XSW2", "XSW3", "XSW4", "XSW5", "XSW6", "XSW7", "XSW8"];

    [Theory]
    [MemberData(nameof(WrappingVariants))]
    public async Task SignatureWrapping_Variant_Refused(string variant)
    {
        await RefusedAsync(d => Wrap(d, variant, fixture.Idp.SigningKey), "saml_signature_wrapping");
    }

    private static void Wrap(XmlDocument d, string variant, RSA idpKey)
    {
        var response = Response(d);
        var assertion = AssertionOf(response);
        switch (variant)
        {
            case "XSW1" or "XSW2":
            {
                Sign(response, idpKey);
                var signature = SignatureOf(response)!;
                var original = (XmlElement)response.CloneNode(deep: true);
                original.RemoveChild(SignatureOf(original)!);
                response.SetAttribute("ID", "_evil-response");
                response.ReplaceChild(EvilAssertion(assertion), assertion);
                if (variant == "XSW1")
                {
                    signature.AppendChild(original);
                }
                else
                {
                    response.InsertBefore(original, signature);
                }

                break;
            }

            case "XSW3":
                response.InsertBefore(EvilAssertion(assertion), assertion);
                break;
            case "XSW4":
            {
                var evil = EvilAssertion(assertion);
                response.ReplaceChild(evil, assertion);
                evil.AppendChild(assertion);
                break;
            }

            case "XSW5" or "XSW6" or "XSW8":
            {
                // The evil assertion keeps the original ID and signature; the original content moves elsewhere.
                var copy = (XmlElement)assertion.CloneNode(deep: true);
                copy.RemoveChild(SignatureOf(copy)!);
                NameId(assertion).InnerText = "bob";
                var signature = SignatureOf(assertion)!;
                switch (variant)
                {
                    case "XSW5":
                        response.AppendChild(copy);
                        break;
                    case "XSW6":
                        signature.AppendChild(copy);
                        break;
                    default:
                        var obj = d.CreateElement("ds", "Object", DSig);
                        obj.AppendChild(copy);
                        signature.AppendChild(obj);
                        break;
                }

                break;
            }

            case "XSW7":
            {
                var extensions = d.CreateElement("samlp", "Extensions", Protocol);
                response.InsertBefore(extensions, assertion);
                response.RemoveChild(assertion);
                extensions.AppendChild(assertion);
                response.AppendChild(EvilAssertion(assertion));
                break;
            }
        }
    }

    private void Resign(XmlDocument d, Action<XmlElement> alter)
    {
        var assertion = AssertionOf(Response(d));
        alter(assertion);
        Sign(assertion, fixture.Idp.SigningKey);
    }

    private async Task<(HttpClient Client, Portico.TestSupport.SamlPost Post)> FreshResponseAsync()
    {
        var client = fixture.Portico.CreateClient(cookies: new CookieContainerHolder());
        using var challenge = await client.GetAsync("/saml/hub/");
        Assert.Equal(HttpStatusCode.Found, challenge.StatusCode);
        return (client, await fixture.Idp.SignInAsync(challenge.Headers.Location!));
    }

    private async Task RefusedAsync(Action<XmlDocument> forge, string reason)
    {
        var (client, post) = await FreshResponseAsync();
        using (client)
        {
            var document = Decode(post.SamlResponse);
            forge(document);
            using var response = await SamlAcs.PostAsync(client, post.Acs, Encode(document));

            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains(reason, await response.Content.ReadAsStringAsync());
            Assert.False(response.Headers.Contains("Set-Cookie"));
        }

        await AuditedAsync(reason);
    }

    private Task<System.Text.Json.JsonElement> AuditedAsync(string reason) =>
        AuditFile.WaitForAsync(fixture.AuditPath, e => e.Is(AuditCodes.SamlRefused, "saml") && e.Field("reason") == reason, "saml.refused " + reason);
}
