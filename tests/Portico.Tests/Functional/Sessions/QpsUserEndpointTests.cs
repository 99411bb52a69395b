using System.Net;
using System.Text.Json;

namespace Portico.Tests.Functional.Sessions;

/// <summary>
/// GET /{prefix}/qps/user, Qlik's "who am I": the session's user and where to log out, or
/// <c>{"session": "inactive"}</c>. Portico answers it itself; it never reaches the engine.
/// </summary>
public sealed class QpsUserEndpointTests(SessionsFixture fixture) : IClassFixture<SessionsFixture>
{
    private SessionsHost Host => fixture.Host;

    [Fact]
    public async Task GetUser_WithALiveSession_ReturnsTheUserAndTheLogoutUri()
    {
        var id = await Host.Api.CreateSessionIdAsync("app", "CORP", "alice");

        using var response = await Host.GetAsync("app/qps/user", $"{SessionsHost.CookieName("app")}={id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("CORP", body.RootElement.GetProperty("userDirectory").GetString());
        Assert.Equal("alice", body.RootElement.GetProperty("userId").GetString());
        Assert.Equal($"https://localhost:{Host.Portico.HttpsPort}/app/qps/user", body.RootElement.GetProperty("logoutUri").GetString());
        Assert.False(body.RootElement.TryGetProperty("session", out _));
        Assert.DoesNotContain(Host.Engine.ObservedRequests, r => r.Path.Contains("/qps/", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetUser_WithoutALiveSession_ReturnsSessionInactive(bool forgedCookie)
    {
        using var response = await Host.GetAsync("app/qps/user", forgedCookie ? $"{SessionsHost.CookieName("app")}={SessionsHost.NeverIssuedId()}" : null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("inactive", body.RootElement.GetProperty("session").GetString());
        Assert.False(body.RootElement.TryGetProperty("userId", out _));
        Assert.False(body.RootElement.TryGetProperty("userDirectory", out _));
        Assert.DoesNotContain(SetCookieHeader.All(response), c => c.Name == SessionsHost.CookieName("app"));
    }

    [Fact]
    public async Task GetUser_WithASessionOfAnotherVirtualProxy_ReturnsSessionInactive()
    {
        var others = await Host.Api.CreateSessionIdAsync("other", "CORP", "alice");

        using var response = await Host.GetAsync("app/qps/user", $"{SessionsHost.CookieName("app")}={others}");

        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("inactive", body.RootElement.GetProperty("session").GetString());
    }

    [Fact]
    public async Task GetUser_AfterLogout_ReturnsSessionInactive()
    {
        var id = await Host.Api.CreateSessionIdAsync("app", "CORP", "alice");
        var cookie = $"{SessionsHost.CookieName("app")}={id}";
        using (var loggedOut = await Host.LogoutAsync("app", id))
        {
            Assert.Equal(HttpStatusCode.NoContent, loggedOut.StatusCode);
        }

        using var response = await Host.GetAsync("app/qps/user", cookie);

        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("inactive", body.RootElement.GetProperty("session").GetString());
    }
}
