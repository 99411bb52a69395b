using Microsoft.AspNetCore.Http;
using Portico.Configuration;
using Portico.Sessions;

namespace Portico.Tests.Unit.Sessions;

public sealed class SessionCookieTests
{
    private const string Id = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdE";

    [Fact]
    public void Issue_Defaults_HttpOnlySecureLaxPathRoot()
    {
        var cookie = SessionCookie.Issue(new VirtualProxyConfig(), Id, isHttps: true);

        Assert.Equal($"X-Qlik-Session={Id}; Path=/; Secure; HttpOnly; SameSite=Lax", cookie);
    }

    [Theory]
    [InlineData(CookieSameSite.None, "SameSite=None")]
    [InlineData(CookieSameSite.Lax, "SameSite=Lax")]
    [InlineData(CookieSameSite.Strict, "SameSite=Strict")]
    [InlineData(CookieSameSite.NoAttribute, "SameSite=Lax")]
    public void Issue_SameSite_IsAlwaysExplicit(CookieSameSite configured, string expected)
    {
        var cookie = SessionCookie.Issue(new VirtualProxyConfig { SameSiteAttributeHttps = configured }, Id, isHttps: true);

        Assert.Contains("; " + expected, cookie, StringComparison.Ordinal);
        Assert.Single(cookie.Split(';'), p => p.Trim().StartsWith("SameSite", StringComparison.Ordinal));
    }

    [Fact]
    public void Issue_SecureTurnedOffInConfig_IsStillSecureOnHttps()
    {
        var cookie = SessionCookie.Issue(new VirtualProxyConfig { HasSecureAttributeHttps = false }, Id, isHttps: true);

        Assert.Contains("; Secure", cookie, StringComparison.Ordinal);
    }

    [Fact]
    public void Issue_SameSiteNoneWithoutHttps_FallsBackToLaxBecauseNoneNeedsSecure()
    {
        var cookie = SessionCookie.Issue(new VirtualProxyConfig { SameSiteAttributeHttps = CookieSameSite.None }, Id, isHttps: false);

        Assert.DoesNotContain("SameSite=None", cookie, StringComparison.Ordinal);
        Assert.DoesNotContain("Secure", cookie, StringComparison.Ordinal);
    }

    [Fact]
    public void Issue_PartitionedAndDomain_AreAddedWhenConfigured()
    {
        var cookie = SessionCookie.Issue(new VirtualProxyConfig { SessionCookiePartitioned = true, SessionCookieDomain = "example.com", SameSiteAttributeHttps = CookieSameSite.None }, Id, isHttps: true);

        Assert.EndsWith("; Partitioned", cookie, StringComparison.Ordinal);
        Assert.Contains("; Domain=example.com", cookie, StringComparison.Ordinal);
        Assert.Contains("; SameSite=None", cookie, StringComparison.Ordinal);
    }

    [Fact]
    public void Clear_ExpiresTheSameCookie()
    {
        var cookie = SessionCookie.Clear(new VirtualProxyConfig { SessionCookieHeaderName = "X-S" }, isHttps: true);

        Assert.StartsWith("X-S=; Path=/", cookie, StringComparison.Ordinal);
        Assert.Contains("Max-Age=0", cookie, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("X-Qlik-Session=" + Id, Id)]
    [InlineData("a=b; X-Qlik-Session=" + Id + "; c=d", Id)]
    [InlineData("X-Qlik-Session=\"" + Id + "\"", Id)]
    [InlineData("x-qlik-session=" + Id, null)]
    [InlineData("X-Qlik-Session=short", null)]
    [InlineData("X-Qlik-Session=" + Id + "!", null)]
    [InlineData("", null)]
    public void ReadId_FindsOnlyAWellFormedIdUnderTheExactName(string cookieHeader, string? expected)
    {
        var headers = new HeaderDictionary { ["Cookie"] = cookieHeader };

        Assert.Equal(expected, SessionCookie.ReadId(headers, "X-Qlik-Session"));
    }

    [Fact]
    public void ReadId_TwoDifferentValuesUnderOurName_TrustsNeither()
    {
        var other = "ZZZZEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdE";
        var headers = new HeaderDictionary { ["Cookie"] = $"X-Qlik-Session={other}; X-Qlik-Session={Id}" };

        Assert.Null(SessionCookie.ReadId(headers, "X-Qlik-Session"));
    }

    [Fact]
    public void ReadId_SameValueTwice_IsThatValue()
    {
        var headers = new HeaderDictionary { ["Cookie"] = new[] { $"X-Qlik-Session={Id}", $"X-Qlik-Session={Id}" } };

        Assert.Equal(Id, SessionCookie.ReadId(headers, "X-Qlik-Session"));
    }
}
