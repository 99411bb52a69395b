using Xunit.Abstractions;

namespace Portico.BrowserTests;

/// <summary>
/// samples/jwt: the JWT flow of Qlik's WebSocket CSRF article, in Chromium: the page logs in with a bearer JWT
/// on a preflighted cross-site fetch to /qps/csrftoken, reads the qlik-csrf-token header, and opens
/// the engine WebSocket with the session cookie and the token (never the JWT). Two mashup sites
/// share one virtual proxy.
/// </summary>
[Collection(MashupBrowser.Name)]
public sealed class JwtMashupTests(MashupEnvironment environment, ITestOutputHelper output)
{
    [Theory]
    [InlineData(MashupEnvironment.SiteA)]
    [InlineData(MashupEnvironment.SiteB)]
    public async Task AllowListedSite_PartitionedCookieAndToken_RendersDocListAndHyperCube(string site)
    {
        var visit = await VisitAsync(site, "", "jwt-" + site);

        MashupAssert.RendersSalesData(visit);
        Assert.Equal("received", visit.Token);
        // The proxy's cookie lives in the mashup site's partition (CHIPS), which is why the
        // cross-site WebSocket carries it.
        var cookie = Assert.Single(visit.Cookies);
        Assert.Equal("X-Qlik-Session-" + MashupEnvironment.JwtPrefix, cookie.Name);
        Assert.Equal(MashupEnvironment.ProxyHost, cookie.Domain);
        Assert.Equal("https://" + site, cookie.PartitionKey);
        Assert.True(cookie.Secure && cookie.HttpOnly, visit.Describe());
    }

    [Theory]
    [InlineData(MashupEnvironment.SiteA)]
    [InlineData(MashupEnvironment.SiteB)]
    public async Task OriginsAsOneCommaSeparatedAllowOriginLine_BothSites_RenderData(string site)
    {
        var visit = await VisitAsync(site, "?prefix=" + MashupEnvironment.CommaListPrefix, "comma-list-" + site);

        MashupAssert.RendersSalesData(visit);
        Assert.Equal("received", visit.Token);
    }

    [Fact]
    public async Task UnlistedSite_CannotReadTokenAndItsSocketIsRefused()
    {
        var visit = await VisitAsync(MashupEnvironment.EvilSite, "", "jwt-" + MashupEnvironment.EvilSite);

        // The preflight is refused, so the fetch fails before any credential is sent.
        Assert.StartsWith("not readable", visit.Token, StringComparison.Ordinal);
        Assert.Empty(visit.ProxySetCookies);
        MashupAssert.RefusedWithoutData(visit);
    }

    /// <summary>
    /// Measured in headless Debian Chromium 156: third-party cookies are blocked, so a
    /// SameSite=None; Secure cookie without Partitioned, set by the proxy in the cross-site fetch,
    /// is never stored, and the WebSocket that should carry it arrives unauthenticated.
    /// </summary>
    [Fact]
    public async Task UnpartitionedSameSiteNoneCookie_IsDropped_SocketIsNotAuthenticated()
    {
        var visit = await VisitAsync(MashupEnvironment.SiteA, "?prefix=" + MashupEnvironment.UnpartitionedPrefix, "unpartitioned-" + MashupEnvironment.SiteA);

        Assert.Equal("received", visit.Token);
        var setCookie = Assert.Single(visit.ProxySetCookies);
        Assert.Contains("SameSite=None", setCookie, StringComparison.Ordinal);
        Assert.DoesNotContain("Partitioned", setCookie, StringComparison.Ordinal);
        Assert.Empty(visit.Cookies);
        Assert.True(visit.State == "error", visit.Describe());

        // Without its cookie the socket carries a token that fits no live session: Portico refuses it.
        Assert.Contains("WebSocket refused", visit.Status, StringComparison.Ordinal);
        Assert.Empty(visit.Docs);
        Assert.Empty(visit.Rows);
    }

    private async Task<MashupVisit> VisitAsync(string site, string query, string screenshot)
    {
        var visit = await MashupVisit.OpenAsync(environment, environment.SiteUrl(site, "jwt/" + query), screenshot);
        output.WriteLine(visit.Describe());
        return visit;
    }
}
