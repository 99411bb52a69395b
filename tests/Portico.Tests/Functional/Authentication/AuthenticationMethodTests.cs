using System.Net;
using System.Text.Json;
using Portico.TestSupport;
using Portico.Tests.Support;

namespace Portico.Tests.Functional.Authentication;

/// <summary>Each authentication method over HTTP, and an unmodified enigma.js client proving the identity with GetAuthenticatedUser.</summary>
public sealed class AuthenticationMethodTests(AuthenticationFixture fixture) : IClassFixture<AuthenticationFixture>
{
    private PorticoTestHost Portico => fixture.Portico;

    [Fact]
    public async Task Ticket_OnAPage_RedirectsWithoutTheTicket_SetsTheSession_AndNoReferrer()
    {
        using var api = new QpsApiClient(Portico);
        var ticket = await api.TicketAsync("ticket", "CORP", "alice");
        var cookies = new CookieContainerHolder();
        using var client = Portico.CreateClient(cookies: cookies);

        var response = await client.GetAsync($"/ticket/portico-demo/echo?x=1&qlikTicket={ticket}&y=2");

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/ticket/portico-demo/echo?x=1&y=2", response.Headers.Location!.OriginalString);
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        var echo = await client.GetAsync("/ticket/portico-demo/echo?x=1&y=2");
        Assert.Equal(HttpStatusCode.OK, echo.StatusCode);
        Assert.Equal("UserDirectory=CORP; UserId=alice", EchoedUser(await echo.Content.ReadAsStringAsync()));
        Assert.DoesNotContain(fixture.Engine.ObservedRequests, r => r.QueryString.Contains(ticket, StringComparison.Ordinal));
        Assert.DoesNotContain(ticket, Portico.Logs.AllText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("QlikTicket")]
    [InlineData("X-Qlik-Ticket")]
    [InlineData("qlikticket")]
    public async Task Ticket_AcceptedUnderEveryQlikSpelling(string parameter)
    {
        using var api = new QpsApiClient(Portico);
        var ticket = await api.TicketAsync("ticket", "CORP", "bob");
        using var client = Portico.CreateClient();

        var response = await client.GetAsync($"/ticket/hub?{parameter}={ticket}");

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("X-Qlik-Session-ticket=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ticket_UsedTwice_SecondIsRefused()
    {
        using var api = new QpsApiClient(Portico);
        var ticket = await api.TicketAsync("ticket", "CORP", "alice");
        using var client = Portico.CreateClient();

        var first = await client.GetAsync($"/ticket/hub?qlikTicket={ticket}");
        var second = await client.GetAsync($"/ticket/hub?qlikTicket={ticket}");

        Assert.Equal(HttpStatusCode.Found, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, second.StatusCode);
        Assert.False(second.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task Ticket_RedeemedConcurrently_ExactlyOneWins()
    {
        using var api = new QpsApiClient(Portico);
        var ticket = await api.TicketAsync("ticket", "CORP", "alice");
        using var client = Portico.CreateClient();

        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => client.GetAsync($"/ticket/hub?qlikTicket={ticket}")));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Found);
        Assert.Equal(15, responses.Count(r => r.StatusCode == HttpStatusCode.Unauthorized));
    }

    [Fact]
    public async Task Ticket_IssuedForOneVirtualProxy_IsRefusedOnAnother()
    {
        using var api = new QpsApiClient(Portico);
        var ticket = await api.TicketAsync("ticket", "CORP", "alice");
        using var client = Portico.CreateClient();

        var response = await client.GetAsync($"/ticket2/hub?qlikTicket={ticket}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("another virtual proxy", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bearer_ValidJwt_CreatesASessionCookieTheBrowserCanContinueWith()
    {
        var cookies = new CookieContainerHolder();
        using var client = Portico.CreateClient(cookies: cookies);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/jwt/portico-demo/echo");
        request.Headers.Authorization = new("Bearer", TestTokens.Valid("dave"));

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal("UserDirectory=CORP; UserId=dave", EchoedUser(body));
        Assert.DoesNotContain("authorization", EchoedHeaders(body).Keys);
        var withCookieOnly = await client.GetAsync("/jwt/portico-demo/echo");
        Assert.Equal("UserDirectory=CORP; UserId=dave", EchoedUser(await withCookieOnly.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Bearer_AlgNone_Is401WithBearerChallenge()
    {
        using var client = Portico.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/jwt/portico-demo/echo");
        request.Headers.Authorization = new("Bearer", TestTokens.AlgNone());

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Contains("alg", Portico.Logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bearer_SameTokenTwice_ReusesOneSession()
    {
        using var client = Portico.CreateClient();
        var token = TestTokens.Valid("erin");
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/jwt/portico-demo/echo");
            request.Headers.Authorization = new("Bearer", token);
            var response = await client.SendAsync(request);
            ids.Add(EchoedHeaders(await response.Content.ReadAsStringAsync())["x-qlik-proxysession"]);
        }

        Assert.Single(ids.Distinct());
    }

    [Fact]
    public async Task Header_Static_FromTrustedNetwork_IdentifiesTheUser()
    {
        using var client = Portico.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/header/portico-demo/echo");
        request.Headers.Add("X-Portico-User", "frank");

        var response = await client.SendAsync(request);

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal("UserDirectory=DEMO; UserId=frank", EchoedUser(body));
        Assert.DoesNotContain("x-portico-user", EchoedHeaders(body).Keys);
    }

    [Fact]
    public async Task Header_Dynamic_ParsesDirectoryAndUser()
    {
        using var client = Portico.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/dynamic/portico-demo/echo");
        request.Headers.Add("X-Portico-User", "SALES\\grace");

        var response = await client.SendAsync(request);

        Assert.Equal("UserDirectory=SALES; UserId=grace", EchoedUser(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Header_FromUntrustedNetwork_IsRefused()
    {
        using var client = Portico.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/faraway/portico-demo/echo");
        request.Headers.Add("X-Portico-User", "mallory");

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("untrusted network", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Header_NamingTheAnonymousDirectory_IsRefused()
    {
        using var client = Portico.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/dynamic/portico-demo/echo");
        request.Headers.Add("X-Portico-User", "ANONYMOUS\\anon-1");

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("X-Portico-User")]
    [InlineData("x_portico_user")]
    public async Task HeaderAuthenticationHeader_OnANonHeaderVirtualProxy_NeverReachesTheEngine(string spelling)
    {
        var response = await RawHttp.SendAsync(Portico.HttpsPort, $"GET /anon/portico-demo/echo HTTP/1.1\nHost: localhost\n{spelling}: admin\n", Portico.CaPath);

        Assert.Equal(200, response.Status);
        var headers = EchoedHeaders(response.Body);
        Assert.DoesNotContain(headers.Keys, k => k.Replace('_', '-').Equals("x-portico-user", StringComparison.OrdinalIgnoreCase));
        Assert.StartsWith("UserDirectory=ANONYMOUS", headers["x-qlik-user"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AllowAnonymous_WithoutCredential_IsAnonymous_ButForceAuthenticationRefuses()
    {
        using var client = Portico.CreateClient();

        var anonymous = await client.GetAsync("/anon/portico-demo/echo");
        var forced = await client.GetAsync("/anon/portico-demo/echo?forceAuthentication=yes");

        Assert.StartsWith("UserDirectory=ANONYMOUS; UserId=anon-", EchoedUser(await anonymous.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, forced.StatusCode);
    }

    [Fact]
    public async Task Enigma_JwtBearerOnTheUpgrade_GetsTheTokensUser()
    {
        var result = await Enigma("/jwt/app/engineData", headers: new() { ["Authorization"] = "Bearer " + TestTokens.Valid("heidi") });

        Assert.True(result.Ok, result.RawJson);
        Assert.Equal("UserDirectory=CORP; UserId=heidi", result.Result(EnigmaSteps.GetAuthenticatedUser).GetString());
    }

    [Fact]
    public async Task Enigma_TicketInTheWebSocketUrl_GetsTheTicketsUser_AndTheEngineNeverSeesIt()
    {
        using var api = new QpsApiClient(Portico);
        var ticket = await api.TicketAsync("ticket", "CORP", "ivan");

        var result = await Enigma($"/ticket/app/engineData?qlikTicket={ticket}");

        Assert.True(result.Ok, result.RawJson);
        Assert.Equal("UserDirectory=CORP; UserId=ivan", result.Result(EnigmaSteps.GetAuthenticatedUser).GetString());
        Assert.DoesNotContain(fixture.Engine.ObservedRequests, r => r.QueryString.Contains(ticket, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ticket_OnAWebSocketFromADisallowedOrigin_IsRefusedBeforeTheTicketIsSpent()
    {
        using var api = new QpsApiClient(Portico);
        var ticket = await api.TicketAsync("ticket", "CORP", "olga");

        var refused = await RawHttp.SendAsync(Portico.HttpsPort, $"""
            GET /ticket/app/engineData?qlikTicket={ticket} HTTP/1.1
            Host: localhost
            Origin: https://evil.test
            Connection: Upgrade
            Upgrade: websocket
            Sec-WebSocket-Version: 13
            Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==
            """, Portico.CaPath);

        Assert.Equal(403, refused.Status);
        Assert.Empty(refused.All("Set-Cookie"));
        var result = await Enigma($"/ticket/app/engineData?qlikTicket={ticket}");
        Assert.True(result.Ok, result.RawJson);
        Assert.Equal("UserDirectory=CORP; UserId=olga", result.Result(EnigmaSteps.GetAuthenticatedUser).GetString());
    }

    [Fact]
    public async Task Enigma_HeaderAuthentication_GetsTheHeadersUser()
    {
        using var client = Portico.CreateClient();
        var token = await client.CsrfTokenAsync("/header", r => r.Headers.Add("X-Portico-User", "judy"));

        var result = await Enigma($"/header/app/engineData?qlik-csrf-token={token}", headers: new() { ["X-Portico-User"] = "judy" });

        Assert.True(result.Ok, result.RawJson);
        Assert.Equal("UserDirectory=DEMO; UserId=judy", result.Result(EnigmaSteps.GetAuthenticatedUser).GetString());
    }

    [Fact]
    public async Task Enigma_SessionCookieFromTheSessionApi_GetsThatSessionsUser()
    {
        using var api = new QpsApiClient(Portico);
        var sessionId = await api.SessionAsync("ticket", "CORP", "kate");

        using var client = Portico.CreateClient();
        var token = await client.CsrfTokenAsync("/ticket", r => r.Headers.Add("Cookie", "X-Qlik-Session-ticket=" + sessionId));

        var result = await Enigma($"/ticket/app/engineData?qlik-csrf-token={token}", headers: new() { ["Cookie"] = "X-Qlik-Session-ticket=" + sessionId });

        Assert.True(result.Ok, result.RawJson);
        Assert.Equal("UserDirectory=CORP; UserId=kate", result.Result(EnigmaSteps.GetAuthenticatedUser).GetString());
    }

    [Fact]
    public async Task Enigma_Anonymous_GetsAnAnonymousUser()
    {
        var result = await Enigma("/anon/app/engineData");

        Assert.True(result.Ok, result.RawJson);
        Assert.StartsWith("UserDirectory=ANONYMOUS; UserId=anon-", result.Result(EnigmaSteps.GetAuthenticatedUser).GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enigma_WithoutCredential_SeesMustAuthenticateAndNothingReachesTheEngine()
    {
        var before = fixture.Engine.ObservedRequests.Count(r => r.IsWebSocket && r.Path == "/app/engineData");

        var result = await Enigma("/ticket/app/engineData");

        Assert.False(result.Ok);
        Assert.Contains(result.Notifications, n => n.Method == "OnAuthenticationInformation" && n.Params.GetProperty("mustAuthenticate").GetBoolean());
        Assert.Equal(before, fixture.Engine.ObservedRequests.Count(r => r.IsWebSocket && r.Path == "/app/engineData"));
    }

    private Task<EnigmaRunResult> Enigma(string path, Dictionary<string, string>? headers = null) =>
        NodeClients.Shared.RunEnigmaAsync(new EnigmaRunRequest
        {
            Url = $"wss://localhost:{Portico.HttpsPort}{path}",
            CaFile = Portico.CaPath,
            Headers = headers,
            Steps = [EnigmaSteps.GetAuthenticatedUser],
        });

    private static string EchoedUser(string body) => EchoedHeaders(body)["x-qlik-user"];

    private static Dictionary<string, string> EchoedHeaders(string body)
    {
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("headers").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.OrdinalIgnoreCase);
    }
}
