using System.Net;
using System.Text.Json;
using System.Xml;
using Portico.Audit;
using Portico.Tests.Support;
using Portico.TestSupport;

namespace Portico.Tests.Functional.Authentication.Saml;

/// <summary>SP-initiated SAML login against samlify's identity provider, the SP metadata it is given, and single logout.</summary>
public sealed class SamlLoginTests(SamlFixture fixture) : IClassFixture<SamlFixture>
{
    [Fact]
    public async Task Metadata_ServedUnauthenticated_NamesEntityIdAcsAndSlo()
    {
        using var client = fixture.Portico.CreateClient();
        using var response = await client.GetAsync("/saml/saml/metadata");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = new XmlDocument();
        document.LoadXml(await response.Content.ReadAsStringAsync());
        Assert.Equal(SamlFixture.EntityId, document.DocumentElement!.GetAttribute("entityID"));
        var xml = document.OuterXml;
        Assert.Contains($"Location=\"https://localhost:{fixture.Portico.HttpsPort}/saml/saml/acs\"", xml);
        Assert.Contains($"Location=\"https://localhost:{fixture.Portico.HttpsPort}/saml/saml/slo\"", xml);
        Assert.Contains("WantAssertionsSigned=\"true\"", xml);
    }

    [Fact]
    public async Task Login_ThroughIdentityProvider_ReturnsToTargetWithSessionAndCsrfToken()
    {
        var cookies = new CookieContainerHolder();
        using var client = fixture.Portico.CreateClient(cookies: cookies);

        using var challenge = await client.GetAsync("/saml/hub/?sheet=1");
        Assert.Equal(HttpStatusCode.Found, challenge.StatusCode);
        var redirect = challenge.Headers.Location!;
        Assert.StartsWith(fixture.Idp.BaseAddress + "sso?SAMLRequest=", redirect.AbsoluteUri);

        var post = await fixture.Idp.SignInAsync(redirect);
        using var landed = await SamlAcs.PostAsync(client, post.Acs, post.SamlResponse, post.RelayState);

        Assert.Equal(HttpStatusCode.SeeOther, landed.StatusCode);
        Assert.Equal($"https://localhost:{fixture.Portico.HttpsPort}/saml/hub/?sheet=1", landed.Headers.Location!.AbsoluteUri);
        using var token = await client.GetAsync("/saml/qps/csrftoken");
        Assert.Equal(HttpStatusCode.NoContent, token.StatusCode);
        Assert.True(token.Headers.Contains("qlik-csrf-token"));
        using var user = JsonDocument.Parse(await client.GetStringAsync("/saml/qps/user"));
        Assert.Equal("alice", user.RootElement.GetProperty("userId").GetString());
        Assert.Equal("SAMLDEMO", user.RootElement.GetProperty("userDirectory").GetString());
        await AuditFile.WaitForAsync(fixture.AuditPath, e => e.Is(AuditCodes.LoginSucceeded, "saml") && e.Field("method") == "saml" && e.Field("userId") == "alice", "login.succeeded by SAML");
    }

    [Fact]
    public async Task Logout_WithSamlSlo_EndsSessionAndSendsLogoutRequestToIdentityProvider()
    {
        var cookies = new CookieContainerHolder();
        using var client = fixture.Portico.CreateClient(cookies: cookies);
        using var challenge = await client.GetAsync("/saml/hub/");
        var post = await fixture.Idp.SignInAsync(challenge.Headers.Location!, login: "bob");
        using (var landed = await SamlAcs.PostAsync(client, post.Acs, post.SamlResponse, post.RelayState))
        {
            Assert.Equal(HttpStatusCode.SeeOther, landed.StatusCode);
        }

        using var logout = await client.GetAsync("/saml/saml/logout");
        Assert.Equal(HttpStatusCode.Found, logout.StatusCode);
        Assert.StartsWith(fixture.Idp.BaseAddress + "slo?SAMLRequest=", logout.Headers.Location!.AbsoluteUri);

        // The identity provider answers with a LogoutResponse back to Portico's SLO endpoint.
        using var idp = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var answer = await idp.GetAsync(logout.Headers.Location);
        Assert.Equal(HttpStatusCode.Found, answer.StatusCode);
        Assert.StartsWith($"https://localhost:{fixture.Portico.HttpsPort}/saml/saml/slo?SAMLResponse=", answer.Headers.Location!.AbsoluteUri);
        using var back = await client.GetAsync(answer.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);

        Assert.Contains("bob", await fixture.Idp.LogoutsAsync());
        using var user = JsonDocument.Parse(await client.GetStringAsync("/saml/qps/user"));
        Assert.Equal("inactive", user.RootElement.GetProperty("session").GetString());
    }

    [Fact]
    public async Task AuthnRequest_IsSigned_IdentityProviderRefusesItWithoutTheSignature()
    {
        using var client = fixture.Portico.CreateClient();
        using var challenge = await client.GetAsync("/saml/hub/");
        var signed = challenge.Headers.Location!.AbsoluteUri;
        var unsigned = signed[..signed.IndexOf("&Signature=", StringComparison.Ordinal)];

        using var idp = new HttpClient();
        using var accepted = await idp.GetAsync(signed + "&format=json");
        using var refused = await idp.GetAsync(unsigned + "&format=json");

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }

    [Fact]
    public async Task Logout_FromAnotherSite_RefusedAndSessionKept()
    {
        var cookies = new CookieContainerHolder();
        using var client = fixture.Portico.CreateClient(cookies: cookies);
        using var challenge = await client.GetAsync("/saml/hub/");
        var post = await fixture.Idp.SignInAsync(challenge.Headers.Location!);
        using (var landed = await SamlAcs.PostAsync(client, post.Acs, post.SamlResponse))
        {
            Assert.Equal(HttpStatusCode.SeeOther, landed.StatusCode);
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, "/saml/saml/logout");
        request.Headers.Add("Sec-Fetch-Site", "cross-site");
        using var logout = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, logout.StatusCode);
        using var user = JsonDocument.Parse(await client.GetStringAsync("/saml/qps/user"));
        Assert.Equal("alice", user.RootElement.GetProperty("userId").GetString());
        await AuditFile.WaitForAsync(fixture.AuditPath, e => e.Is(AuditCodes.SamlRefused, "saml") && e.Field("reason") == "saml_cross_site", "saml.refused for a cross-site logout");
    }

    [Fact]
    public async Task Acs_ByGet_RefusedAsWrongBinding()
    {
        using var client = fixture.Portico.CreateClient();
        using var response = await client.GetAsync("/saml/saml/acs?SAMLResponse=abc");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        await AuditFile.WaitForAsync(fixture.AuditPath, e => e.Is(AuditCodes.SamlRefused, "saml") && e.Field("reason") == "saml_binding", "saml.refused for the redirect binding at the ACS");
    }
}

/// <summary>Posts to the ACS as the identity provider's auto-submitting form does.</summary>
internal static class SamlAcs
{
    public static Task<HttpResponseMessage> PostAsync(HttpClient client, Uri acs, string samlResponse, string? relayState = null)
    {
        var fields = new Dictionary<string, string> { ["SAMLResponse"] = samlResponse };
        if (relayState is not null)
        {
            fields["RelayState"] = relayState;
        }

        return client.PostAsync(acs.PathAndQuery, new FormUrlEncodedContent(fields));
    }
}
