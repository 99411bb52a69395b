using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Portico.Tests.Support;

namespace Portico.Tests.Functional.Sessions;

/// <summary>
/// What a request without a live session gets on a virtual proxy that needs a login: a WebSocket is
/// told to authenticate (Qlik's OnAuthenticationInformation) and closed, HTTP gets 401 or the login
/// module's redirect, and nothing reaches the engine. The redirect's target is rebuilt from the
/// configured public host only.
/// </summary>
public sealed class UnauthenticatedRequestTests(SessionsFixture fixture) : IClassFixture<SessionsFixture>
{
    private SessionsHost Host => fixture.Host;

    [Theory]
    [InlineData("app", false)]
    [InlineData("app", true)]
    [InlineData("login", false)]
    public async Task WebSocket_WithoutALiveSession_IsToldToAuthenticateAndClosed_NothingReachesTheEngine(string prefix, bool forgedCookie)
    {
        var cookies = new CookieContainer();
        if (forgedCookie)
        {
            cookies.Add(Host.Portico.BaseAddress, new Cookie(SessionsHost.CookieName(prefix), SessionsHost.NeverIssuedId()));
        }

        await using var socket = await QixSocket.ConnectAsync(new Uri($"wss://localhost:{Host.Portico.HttpsPort}/{prefix}/app/engineData"), Host.Portico.CaPath, cookies);

        var notification = await socket.WaitForNotificationAsync("OnAuthenticationInformation");
        Assert.True(notification.GetProperty("params").GetProperty("mustAuthenticate").GetBoolean(), notification.ToString());
        Assert.True(await socket.WaitForCloseAsync(TimeSpan.FromSeconds(10)), "the unauthenticated socket was not closed");
        Assert.DoesNotContain(Host.Engine.ObservedRequests, r => r.IsWebSocket);
    }

    [Fact]
    public async Task Http_WithoutALiveSession_Gets401JsonUnauthenticated_NothingReachesTheEngine()
    {
        var marker = Guid.NewGuid().ToString("n");

        using var response = await Host.GetAsync($"app/{SessionsHost.EchoPath}/{marker}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("unauthenticated", body.RootElement.GetProperty("error").GetString());
        Assert.DoesNotContain(Host.Engine.ObservedRequests, r => r.Path.Contains(marker, StringComparison.Ordinal));
        Assert.DoesNotContain(SetCookieHeader.All(response), c => c.Name == SessionsHost.CookieName("app"));
    }

    [Fact]
    public async Task Page_WithoutALiveSession_OnALoginModuleProxy_RedirectsWithTargetIdAndProxyRestUri()
    {
        using var response = await Host.GetAsync("login/sense/app/abc?sheet=1");

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.StartsWith(SessionsFixture.LoginModule + "?", location.AbsoluteUri, StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(location.Query);
        Assert.Equal($"https://localhost:{Host.Portico.QpsApiPort}/qps/login/", query["proxyRestUri"].Single());
        Assert.False(string.IsNullOrEmpty(query["targetId"].Single()));
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task Post_WithoutALiveSession_OnALoginModuleProxy_Gets401NotARedirect()
    {
        using var response = await Host.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"login/{SessionsHost.EchoPath}") { Content = new StringContent("{}") });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("unauthenticated", body.RootElement.GetProperty("error").GetString());
    }

    /// <summary>
    /// Qlik's login module flow end to end, with a forged Host header: the target the module gets back
    /// is the page on the configured public host, and the ticket redeemed there logs the user in.
    /// </summary>
    [Fact]
    public async Task LoginModuleFlow_WithAForgedHostHeader_TargetIsBuiltOnThePublicHostAndTheTicketLogsIn()
    {
        var redirect = await RawHttp.SendAsync(Host.Portico.HttpsPort, """
            GET /login/sense/app/abc?sheet=1 HTTP/1.1
            Host: evil.example
            X-Forwarded-Host: evil.example
            """, Host.Portico.CaPath);

        Assert.Equal(302, redirect.Status);
        var location = new Uri(redirect.Header("Location")!);
        Assert.DoesNotContain("evil", location.AbsoluteUri, StringComparison.OrdinalIgnoreCase);
        var targetId = QueryHelpers.ParseQuery(location.Query)["targetId"].Single();

        var ticket = await Host.Api.IssueTicketAsync("login", "CORP", "alice", targetId);

        var target = ticket.GetProperty("TargetUri").GetString();
        Assert.Equal($"https://localhost:{Host.Portico.HttpsPort}/login/sense/app/abc?sheet=1", target);

        using var login = await Host.GetAsync($"{target}&qlikTicket={ticket.GetProperty("Ticket").GetString()}");
        Assert.Equal(HttpStatusCode.Found, login.StatusCode);
        var id = SetCookieHeader.Single(login, SessionsHost.CookieName("login")).Value;
        Assert.Equal("UserDirectory=CORP; UserId=alice", await Host.EchoedUserAsync("login", id));
    }

    [Fact]
    public async Task TicketRequest_WithAnUnknownTargetId_HasNoTargetUri()
    {
        var ticket = await Host.Api.IssueTicketAsync("login", "CORP", "alice", "https://evil.example/phish");

        Assert.True(ticket.GetProperty("TargetUri").ValueKind == JsonValueKind.Null, ticket.ToString());
    }
}
