using System.Net;
using System.Text.Json;
using Portico.Audit;
using Portico.Configuration;
using Portico.Tests.Functional.Authentication;
using Portico.Tests.Support;

namespace Portico.Tests.Functional.Audit;

/// <summary>
/// docs/operations.md "Audit log" on a real Portico: each decision writes its event with its fields
/// to the file, and no credential (ticket, token, session id) is ever in it.
/// </summary>
public sealed class AuditLogTests(AuditFixture fixture) : IClassFixture<AuditFixture>
{
    private PorticoTestHost Portico => fixture.Portico;

    private string AuditPath => fixture.AuditPath;

    [Fact]
    public async Task Start_WritesConfigApplied()
    {
        var applied = await AuditFile.WaitForAsync(AuditPath, e => e.Is(AuditCodes.ConfigApplied) && e.Field("reason") == "start", "config.applied at start");

        Assert.Equal(1, applied.GetProperty("version").GetInt64());
        Assert.Equal("success", applied.Field("outcome"));
        Assert.True(DateTimeOffset.TryParse(applied.Field("time"), out var at) && at.Offset == TimeSpan.Zero);
    }

    [Fact]
    public async Task TicketLogin_AndLogout_WriteTheirEvents_WithOneSessionHash_AndNoSecret()
    {
        using var api = new QpsApiClient(Portico);
        var ticket = await api.TicketAsync("ticket", "CORP", "audit-alice");
        var cookies = new CookieContainerHolder();
        using var client = Portico.CreateClient(cookies: cookies);

        var redirect = await client.GetAsync($"/ticket/hub?qlikTicket={ticket}");
        Assert.Equal(HttpStatusCode.Found, redirect.StatusCode);
        var sessionId = cookies.Container.GetCookies(Portico.BaseAddress)["X-Qlik-Session-ticket"]!.Value;
        using var logout = new HttpRequestMessage(HttpMethod.Delete, "/ticket/qps/user");
        logout.Headers.Add("Origin", $"https://localhost:{Portico.HttpsPort}");
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(logout)).StatusCode);
        var reused = await client.GetAsync($"/ticket/hub?qlikTicket={ticket}");
        Assert.Equal(HttpStatusCode.Unauthorized, reused.StatusCode);

        bool ForAlice(JsonElement e) => e.Field("userId") == "audit-alice";
        var issued = await AuditFile.WaitForAsync(AuditPath, e => e.Is(AuditCodes.TicketIssued, "ticket") && ForAlice(e), "ticket.issued");
        var redeemed = await AuditFile.WaitForAsync(AuditPath, e => e.Is(AuditCodes.TicketRedeemed, "ticket") && ForAlice(e), "ticket.redeemed");
        var login = await AuditFile.WaitForAsync(AuditPath, e => e.Is(AuditCodes.LoginSucceeded, "ticket") && ForAlice(e), "login.succeeded");
        var created = await AuditFile.WaitForAsync(AuditPath, e => e.Is(AuditCodes.SessionCreated, "ticket") && ForAlice(e), "session.created");
        var ended = await AuditFile.WaitForAsync(AuditPath, e => e.Is(AuditCodes.SessionEnded, "ticket") && ForAlice(e), "session.ended");
        await AuditFile.WaitForAsync(AuditPath, e => e.Is(AuditCodes.TicketRefused, "ticket") && e.Field("reason") == "ticket_unknown", "ticket.refused");

        Assert.Equal("CORP", issued.Field("userDirectory"));
        Assert.Equal("127.0.0.1", redeemed.Field("client"));
        Assert.Equal(("ticket", "success", "127.0.0.1"), (login.Field("method"), login.Field("outcome"), login.Field("client")));
        Assert.Matches("^[0-9a-f]{16}$", login.Field("session"));
        Assert.Equal(login.Field("session"), created.Field("session"));
        Assert.Equal(login.Field("session"), ended.Field("session"));
        Assert.Equal("logout", ended.Field("reason"));
        var text = string.Join("\n", AuditFile.Lines(AuditPath));
        Assert.DoesNotContain(ticket, text, StringComparison.Ordinal);
        Assert.DoesNotContain(sessionId, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Jwt_RefusedAndAccepted_WriteLoginFailedAndSucceeded_WithoutTheToken()
    {
        using var client = Portico.CreateClient();
        var forged = TestTokens.AlgNone("audit-mallory");
        var valid = TestTokens.Valid("audit-dave");

        Assert.Equal(HttpStatusCode.Unauthorized, (await SendWithBearerAsync(client, forged)).StatusCode);
        var accepted = await SendWithBearerAsync(client, valid);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);

        var failed = await AuditFile.WaitForAsync(AuditPath, e => e.Is(AuditCodes.LoginFailed, "jwt"), "login.failed");
        var login = await AuditFile.WaitForAsync(AuditPath, e => e.Is(AuditCodes.LoginSucceeded, "jwt") && e.Field("userId") == "audit-dave", "login.succeeded");
        Assert.Equal(("jwt", "jwt_invalid", "failure"), (failed.Field("method"), failed.Field("reason"), failed.Field("outcome")));
        Assert.False(string.IsNullOrEmpty(failed.Field("detail")));
        Assert.Equal("jwt", login.Field("method"));
        var text = string.Join("\n", AuditFile.Lines(AuditPath));
        Assert.DoesNotContain(forged, text, StringComparison.Ordinal);
        Assert.DoesNotContain(valid.Split('.')[2], text, StringComparison.Ordinal);
        var sessionCookie = accepted.Headers.GetValues("Set-Cookie").Single().Split(';')[0].Split('=', 2)[1];
        Assert.DoesNotContain(sessionCookie, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HeaderFromAnUntrustedAddress_WritesItsOwnEvent()
    {
        using var client = Portico.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/faraway/portico-demo/echo");
        request.Headers.Add("X-Portico-User", "audit-intruder");

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(request)).StatusCode);

        var refused = await AuditFile.WaitForAsync(AuditPath, e => e.Is(AuditCodes.HeaderUntrustedAddress, "faraway"), "header.untrusted_address");
        Assert.Equal(("header", "untrusted_address", "127.0.0.1"), (refused.Field("method"), refused.Field("reason"), refused.Field("client")));
    }

    [Fact]
    public async Task CsrfAndOriginRefusals_WriteTheirCodes()
    {
        var cookies = new CookieContainerHolder();
        using var client = Portico.CreateClient(cookies: cookies);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/anon/portico-demo/echo")).StatusCode);
        var sessionId = cookies.Container.GetCookies(Portico.BaseAddress)["X-Qlik-Session-anon"]!.Value;

        var post = await client.PostAsync("/anon/portico-demo/echo", new StringContent("{}"));
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/anon/portico-demo/echo");
        preflight.Headers.Add("Origin", "https://evil.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        var refusedPreflight = await client.SendAsync(preflight);

        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, refusedPreflight.StatusCode);
        var csrf = await AuditFile.WaitForAsync(AuditPath, e => e.Is(AuditCodes.CsrfRefused, "anon"), "csrf.refused");
        var origin = await AuditFile.WaitForAsync(AuditPath, e => e.Is(AuditCodes.OriginRefused, "anon"), "origin.refused");
        Assert.Equal("CSRF-PROOF", csrf.Field("reason"));
        Assert.Equal("ANONYMOUS", csrf.Field("userDirectory"));
        Assert.Matches("^[0-9a-f]{16}$", csrf.Field("session"));
        Assert.Equal(("preflight_origin", "https://evil.example"), (origin.Field("reason"), origin.Field("origin")));
        Assert.DoesNotContain(sessionId, string.Join("\n", AuditFile.Lines(AuditPath)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SessionApi_WritesLoginSucceeded_WithoutTheSessionId()
    {
        using var api = new QpsApiClient(Portico);

        var sessionId = await api.SessionAsync("ticket", "CORP", "audit-backend-user");

        var login = await AuditFile.WaitForAsync(AuditPath, e => e.Is(AuditCodes.LoginSucceeded, "ticket") && e.Field("userId") == "audit-backend-user", "login.succeeded");
        Assert.Equal("session_api", login.Field("method"));
        Assert.DoesNotContain(sessionId, string.Join("\n", AuditFile.Lines(AuditPath)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task QpsApi_WithoutTheXrfKeyPair_WritesQpsApiRefused()
    {
        using var api = new QpsApiClient(Portico);

        var response = await api.SendAsync(HttpMethod.Post, "qps/ticket/ticket", new { UserDirectory = "CORP", UserId = "audit-nobody" }, xrfQuery: null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var refused = await AuditFile.WaitForAsync(AuditPath, e => e.Is(AuditCodes.QpsApiRefused), "qps_api.refused");
        Assert.Equal(("xrfkey", "127.0.0.1"), (refused.Field("reason"), refused.Field("client")));
    }

    [Fact]
    public async Task Reload_RejectedThenApplied_WritesBothWithTheErrors()
    {
        var broken = fixture.Config with { Hsts = new HstsConfig { MaxAgeSeconds = -1 } };
        await File.WriteAllTextAsync(Portico.ConfigPath, JsonSerializer.Serialize(broken, ConfigJson.Options));
        var rejected = await AuditFile.WaitForAsync(AuditPath, e => e.Is(AuditCodes.ConfigRejected), "config.rejected");
        await Portico.ReloadAsync(fixture.Config with { Sessions = new SessionsConfig { MaxSessionsPerUser = 6 } });
        var applied = await AuditFile.WaitForAsync(AuditPath, e => e.Is(AuditCodes.ConfigApplied) && e.Field("reason") == "reload", "config.applied on reload");

        Assert.Equal("failure", rejected.Field("outcome"));
        Assert.Contains(rejected.GetProperty("errors").EnumerateArray(), e => e.GetString()!.StartsWith("hsts.maxAgeSeconds", StringComparison.Ordinal));
        Assert.True(applied.GetProperty("version").GetInt64() > 1);
    }

    [Fact]
    public async Task Flood_OfRefusedTickets_IsAggregated_WhileEveryLoginIsWritten()
    {
        const int Refusals = 300;
        const int Logins = 12;
        bool Single(JsonElement e) => e.Is(AuditCodes.TicketRefused, "ticket") && e.Field("reason") == "ticket_unknown" && !e.TryGetProperty("count", out _);
        var before = AuditFile.Events(AuditPath).Count(Single);
        using var client = Portico.CreateClient();

        var flood = Task.WhenAll(Enumerable.Range(0, Refusals).Select(i => client.GetAsync($"/ticket/hub?qlikTicket=not-a-ticket-{i:D4}-0123456789abcdef")));
        var logins = Task.WhenAll(Enumerable.Range(0, Logins).Select(i => SendWithBearerAsync(client, TestTokens.Valid("audit-flood-" + i))));
        await Task.WhenAll(flood, logins);

        Assert.All(await flood, r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.All(await logins, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        await Eventually.TrueAsync(
            () => Enumerable.Range(0, Logins).All(i => AuditFile.Events(AuditPath).Any(e => e.Is(AuditCodes.LoginSucceeded, "jwt") && e.Field("userId") == "audit-flood-" + i)),
            TimeSpan.FromSeconds(10), "every login of the flood");

        // One line for the first refusal of each 10-second window the flood touched; the rest are counts.
        var written = AuditFile.Events(AuditPath).Count(Single) - before;
        Assert.InRange(written, 0, 2);
    }

    private static Task<HttpResponseMessage> SendWithBearerAsync(HttpClient client, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/jwt/portico-demo/echo");
        request.Headers.Authorization = new("Bearer", token);
        return client.SendAsync(request);
    }
}
