using Portico.Samples;
using Xunit.Abstractions;

namespace Portico.BrowserTests;

/// <summary>
/// samples/session-api in Chromium: the back end creates the session with POST /qps/{prefix}/session
/// and sets Portico's session cookie for proxy.test, the domain its pages (app.proxy.test,
/// reports.proxy.test) share; the page reads the token and opens the engine WebSocket with both.
/// </summary>
[Collection(MashupBrowser.Name)]
public sealed class SessionApiSampleTests(MashupEnvironment environment, ITestOutputHelper output)
{
    [Theory]
    [InlineData(SampleSites.SessionApiA)]
    [InlineData(SampleSites.SessionApiB)]
    public async Task PageUnderPorticosDomain_CookieFromTheBackEnd_RendersDocListAndHyperCube(string site)
    {
        var visit = await VisitAsync(site);

        MashupAssert.RendersSalesData(visit);
        Assert.Equal("received", visit.Token);
        var cookie = Assert.Single(visit.Cookies);
        Assert.Equal("X-Qlik-Session-session-api", cookie.Name);
        Assert.Equal("." + MashupEnvironment.ProxyHost, cookie.Domain);
        Assert.True(cookie.Secure && cookie.HttpOnly, visit.Describe());
    }

    /// <summary>A site outside Portico's domain cannot be given the cookie, and its origin is not allowed.</summary>
    [Fact]
    public async Task PageOnAnotherSite_GetsNoCookie_CannotReadTokenAndItsSocketIsRefused()
    {
        var visit = await VisitAsync(MashupEnvironment.SiteA);

        Assert.Empty(visit.Cookies);
        Assert.StartsWith("not readable", visit.Token, StringComparison.Ordinal);
        MashupAssert.RefusedWithoutData(visit);
    }

    private async Task<MashupVisit> VisitAsync(string site)
    {
        var visit = await MashupVisit.OpenAsync(environment, environment.SiteUrl(site, "session-api/"), "session-api-" + site);
        output.WriteLine(visit.Describe());
        return visit;
    }
}
