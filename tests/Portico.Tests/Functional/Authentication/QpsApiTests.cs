using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Portico.Tests.Functional.Authentication;

/// <summary>docs/security.md "Tickets": the QPS REST API on its mutual-TLS listener.</summary>
public sealed class QpsApiTests(AuthenticationFixture fixture) : IClassFixture<AuthenticationFixture>
{
    [Fact]
    public async Task TicketRequest_WithTrustedCertificateAndXrfkey_Returns201InQliksShape()
    {
        using var api = new QpsApiClient(fixture.Portico);

        var response = await api.SendAsync(HttpMethod.Post, "qps/ticket/ticket", """{"userdirectory":"CORP","USERID":"alice","Attributes":[{"Group":"Sales"},{"Group":"Admin"}]}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(QpsApiClient.XrfKey, response.Headers.GetValues("X-Qlik-Xrfkey").Single());
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        Assert.Equal("CORP", root.GetProperty("UserDirectory").GetString());
        Assert.Equal("alice", root.GetProperty("UserId").GetString());
        Assert.Equal(2, root.GetProperty("Attributes").GetArrayLength());
        Assert.True(root.GetProperty("Ticket").GetString()!.Length >= 32);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("TargetUri").ValueKind);
    }

    [Fact]
    public async Task TicketRequest_WithoutClientCertificate_Is401()
    {
        using var api = new QpsApiClient(fixture.Portico, useDevelopmentCertificate: false);

        var response = await api.SendAsync(HttpMethod.Post, "qps/ticket/ticket", new { UserDirectory = "CORP", UserId = "alice" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("Ticket", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TicketRequest_WithSelfSignedImpostorCertificate_Is403()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Portico Development Client", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var impostor = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        using var exportable = X509CertificateLoader.LoadPkcs12(impostor.Export(X509ContentType.Pkcs12), null);
        using var api = new QpsApiClient(fixture.Portico, exportable);

        var response = await api.SendAsync(HttpMethod.Post, "qps/ticket/ticket", new { UserDirectory = "CORP", UserId = "alice" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("client_certificate_not_trusted", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TicketRequest_WithTheDevelopmentCaItselfAsClientCertificate_Is403_WhileTheDevelopmentClientCertificateWorks()
    {
        // The CA is trusted (trustDevelopmentCa) and chains to itself; it is still not a client certificate.
        using var ca = X509Certificate2.CreateFromPemFile(fixture.Portico.CaPath, fixture.Portico.DevelopmentCaKeyPath);
        using var exportable = X509CertificateLoader.LoadPkcs12(ca.Export(X509ContentType.Pkcs12), null);
        using var asCa = new QpsApiClient(fixture.Portico, exportable);
        using var asClient = new QpsApiClient(fixture.Portico);
        var body = new { UserDirectory = "CORP", UserId = "alice" };

        var refused = await asCa.SendAsync(HttpMethod.Post, "qps/ticket/ticket", body);
        var issued = await asClient.SendAsync(HttpMethod.Post, "qps/ticket/ticket", body);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var refusal = await refused.Content.ReadAsStringAsync();
        Assert.Contains("client_certificate_not_trusted", refusal, StringComparison.Ordinal);
        Assert.DoesNotContain("Ticket", refusal, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
    }

    [Theory]
    [InlineData(null, QpsApiClient.XrfKey)]
    [InlineData(QpsApiClient.XrfKey, null)]
    [InlineData(QpsApiClient.XrfKey, "fedcba9876543210")]
    [InlineData("0123456789abcde", "0123456789abcde")]
    [InlineData("0123456789abcde!", "0123456789abcde!")]
    public async Task TicketRequest_WithoutMatchingXrfkey_Is403(string? query, string? header)
    {
        using var api = new QpsApiClient(fixture.Portico);

        var response = await api.SendAsync(HttpMethod.Post, "qps/ticket/ticket", new { UserDirectory = "CORP", UserId = "alice" }, query, header);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("xrfkey", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("""{"UserId":"alice"}""", "UserDirectory")]
    [InlineData("""{"UserDirectory":"CORP"}""", "UserId")]
    [InlineData("""{"UserDirectory":"CORP","UserId":"a","Attributes":"x"}""", "Attributes")]
    [InlineData("not json", "JSON")]
    public async Task TicketRequest_BadBody_Is400NamingTheField(string body, string field)
    {
        using var api = new QpsApiClient(fixture.Portico);

        var response = await api.SendAsync(HttpMethod.Post, "qps/ticket/ticket", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"UserDirectory":"CORP","UserId":"alice","userid":"admin"}""", "UserId")]
    [InlineData("""{"UserDirectory":"CORP","USERDIRECTORY":"ADMINS","UserId":"alice"}""", "UserDirectory")]
    public async Task TicketRequest_DuplicateKeyInAnotherCase_Is400NamingTheKeyAndIssuesNoTicket(string body, string key)
    {
        using var api = new QpsApiClient(fixture.Portico);

        var response = await api.SendAsync(HttpMethod.Post, "qps/ticket/ticket", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains($"the key {key} appears more than once", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Ticket", text, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Portico.Logs.Lines, l => l.EventId == 4002 && l.Message.Contains("UserId=admin", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"UserDirectory":"CORP","UserId":"alice\r\nINFO Ticket issued for UserId=admin"}""", "UserId contains a control character")]
    [InlineData("""{"UserDirectory":"CORP","UserId":"\u202Enimda"}""", "UserId contains an invisible formatting character")]
    [InlineData("""{"UserDirectory":"CORP","UserId":"\u00A0admin\u00A0"}""", "UserId begins with whitespace")]
    [InlineData("""{"UserDirectory":"\uFF21\uFF2E\uFF2F\uFF2E\uFF39\uFF2D\uFF2F\uFF35\uFF33","UserId":"alice"}""", "reserved for anonymous access")]
    [InlineData("""{"UserDirectory":"CORP","UserId":"alice","Attributes":[{"Group":"Sales\u200B"}]}""", "Attributes[0] value contains an invisible formatting character")]
    [InlineData("""{"UserDirectory":"CORP","UserId":"admin\uD800"}""", "the body is not valid Unicode")]
    public async Task TicketRequest_IdentityBreakingTheRule_Is400NamingTheField(string body, string reason)
    {
        using var api = new QpsApiClient(fixture.Portico);

        var response = await api.SendAsync(HttpMethod.Post, "qps/ticket/ticket", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(reason, json.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TicketAndSession_IdentityWithBackslashAndInnerNoBreakSpace_AreLoggedEscaped()
    {
        // The rule lets both through (a backslash and an inner no-break space are legitimate), so
        // the log must show them unambiguously: a literal "\u000A" must not read as an escaped LF.
        using var api = new QpsApiClient(fixture.Portico);
        var unique = Guid.NewGuid().ToString("N");
        var userId = "log\\u000Aforged\u00A0" + unique;

        var ticket = await api.SendAsync(HttpMethod.Post, "qps/ticket/ticket", new { UserDirectory = @"CORP\EU", UserId = userId });
        var session = await api.SendAsync(HttpMethod.Post, "qps/ticket/session", new { UserDirectory = @"CORP\EU", UserId = userId });

        Assert.Equal(HttpStatusCode.Created, ticket.StatusCode);
        Assert.Equal(HttpStatusCode.Created, session.StatusCode);
        var expected = @"UserDirectory=CORP\\EU; UserId=log\\u000Aforged\u00A0" + unique;
        foreach (var eventId in (int[])[4002, 6001])
        {
            var line = Assert.Single(fixture.Portico.Logs.Lines, l => l.EventId == eventId && l.Message.Contains(unique, StringComparison.Ordinal));
            Assert.Contains(expected, line.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\u00A0', line.Message);
        }
    }

    [Fact]
    public async Task TicketRequest_UnknownVirtualProxy_Is404()
    {
        using var api = new QpsApiClient(fixture.Portico);

        var response = await api.SendAsync(HttpMethod.Post, "qps/nosuchproxy/ticket", new { UserDirectory = "CORP", UserId = "alice" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task SessionApi_TooShortSessionId_IsRefused()
    {
        using var api = new QpsApiClient(fixture.Portico);

        var response = await api.SendAsync(HttpMethod.Post, "qps/ticket/session", new { UserDirectory = "CORP", UserId = "alice", SessionId = "abc123" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("SessionId", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SessionApi_AppSuppliedGuid_BecomesTheSessionAndItsCookieWorks()
    {
        using var api = new QpsApiClient(fixture.Portico);
        var id = Guid.NewGuid().ToString();

        var response = await api.SendAsync(HttpMethod.Post, "qps/ticket/session", new { UserDirectory = "CORP", UserId = "carol", SessionId = id });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var client = fixture.Portico.CreateClient();
        using var page = new HttpRequestMessage(HttpMethod.Get, "/ticket/portico-demo/echo");
        page.Headers.Add("Cookie", "X-Qlik-Session-ticket=" + id);
        var echo = await client.SendAsync(page);

        Assert.Equal(HttpStatusCode.OK, echo.StatusCode);
        Assert.Contains("UserId=carol", await echo.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var again = await api.SendAsync(HttpMethod.Post, "qps/ticket/session", new { UserDirectory = "CORP", UserId = "carol", SessionId = id });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }
}
