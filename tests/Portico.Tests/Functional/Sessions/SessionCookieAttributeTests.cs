using System.Net;

namespace Portico.Tests.Functional.Sessions;

/// <summary>
/// docs/security.md "Sessions and cookies", any session cookie: HttpOnly, Secure on HTTPS, an explicit
/// SameSite, SameSite=None only with Secure, Partitioned only when configured. The cookies come from
/// real logins (an anonymous one, or a ticket) over Portico's HTTPS listener.
/// </summary>
public sealed class SessionCookieAttributeTests(SessionsFixture fixture) : IClassFixture<SessionsFixture>
{
    private SessionsHost Host => fixture.Host;

    [Theory]
    [InlineData("anon", "Lax", false, null)]
    [InlineData("strict", "Strict", false, null)]
    [InlineData("none", "None", false, null)]
    [InlineData("partitioned", "Lax", true, null)]
    [InlineData("domain", "Lax", false, "example.com")]
    public async Task AnonymousLogin_PerVirtualProxySettings_CookieCarriesExactlyTheConfiguredAttributes(string prefix, string sameSite, bool partitioned, string? domain)
    {
        using var response = await Host.EchoAsync(prefix, sessionId: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cookie = SetCookieHeader.Single(response, SessionsHost.CookieName(prefix));
        Assert.True(cookie.Has("HttpOnly"), cookie.Raw);
        Assert.True(cookie.Has("Secure"), cookie.Raw);
        Assert.Equal(sameSite, cookie["SameSite"], ignoreCase: true);
        Assert.Equal("/", cookie["Path"]);
        Assert.Equal(partitioned, cookie.Has("Partitioned"));
        Assert.Equal(domain, cookie["Domain"]);
        Assert.False(cookie.Has("Max-Age") || cookie.Has("Expires"), "a login cookie must not be expired: " + cookie.Raw);
        Assert.NotEmpty(cookie.Value);
    }

    [Fact]
    public async Task AnonymousLogin_SameSiteNone_IsAlwaysSentWithSecure()
    {
        using var response = await Host.EchoAsync("none", sessionId: null);

        var cookie = SetCookieHeader.Single(response, SessionsHost.CookieName("none"));
        Assert.Equal("None", cookie["SameSite"], ignoreCase: true);
        Assert.True(cookie.Has("Secure"), "browsers drop SameSite=None without Secure: " + cookie.Raw);
    }

    [Fact]
    public async Task TicketLogin_RedirectResponse_CookieIsHttpOnlySecureLax()
    {
        var ticket = (await Host.Api.IssueTicketAsync("app", "CORP", "alice")).GetProperty("Ticket").GetString();

        using var response = await Host.GetAsync($"app/hub?qlikTicket={ticket}");

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        var cookie = SetCookieHeader.Single(response, SessionsHost.CookieName("app"));
        Assert.True(cookie.Has("HttpOnly"), cookie.Raw);
        Assert.True(cookie.Has("Secure"), cookie.Raw);
        Assert.Equal("Lax", cookie["SameSite"], ignoreCase: true);
        Assert.Equal("/", cookie["Path"]);
        Assert.False(cookie.Has("Partitioned"), cookie.Raw);
        Assert.False(cookie.Has("Domain"), cookie.Raw);
    }

    /// <summary>Any other cookie a login response carries (an engine-affinity cookie, say) may be no weaker than the session's.</summary>
    [Theory]
    [InlineData("anon")]
    [InlineData("strict")]
    [InlineData("none")]
    [InlineData("partitioned")]
    public async Task AnonymousLogin_EveryCookieOnTheResponse_IsHttpOnlySecureWithAnExplicitSameSite(string prefix)
    {
        using var response = await Host.EchoAsync(prefix, sessionId: null);

        var cookies = SetCookieHeader.All(response);
        Assert.NotEmpty(cookies);
        Assert.All(cookies, cookie =>
        {
            Assert.True(cookie.Has("HttpOnly"), cookie.Raw);
            Assert.True(cookie.Has("Secure"), cookie.Raw);
            Assert.Contains(cookie["SameSite"], new[] { "Lax", "Strict", "None" }, StringComparer.OrdinalIgnoreCase);
        });
    }

    /// <summary>
    /// Qlik lets an admin choose "no SameSite attribute"; docs/security.md asks for an explicit one on every
    /// session cookie, so Portico must still write one (Lax is what browsers assume when it is missing).
    /// </summary>
    [Fact]
    public async Task AnonymousLogin_SameSiteNoAttributeConfigured_CookieStillHasAnExplicitSameSite()
    {
        using var response = await Host.EchoAsync("noattribute", sessionId: null);

        var cookie = SetCookieHeader.Single(response, SessionsHost.CookieName("noattribute"));
        Assert.True(cookie.Has("SameSite"), "no SameSite attribute: " + cookie.Raw);
        Assert.Contains(cookie["SameSite"], new[] { "Lax", "Strict" }, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Qlik's hasSecureAttributeHttps=false drops Secure. Portico serves applications over HTTPS only (its
    /// HTTP listener just redirects), so a cookie without Secure would only ever leak, over plain HTTP.
    /// </summary>
    [Fact]
    public async Task AnonymousLogin_SecureAttributeTurnedOff_CookieIsStillSecureOnHttps()
    {
        using var response = await Host.EchoAsync("notsecure", sessionId: null);

        var cookie = SetCookieHeader.Single(response, SessionsHost.CookieName("notsecure"));
        Assert.True(cookie.Has("Secure"), "session cookie issued over HTTPS without Secure: " + cookie.Raw);
        Assert.True(cookie.Has("HttpOnly"), cookie.Raw);
    }
}
