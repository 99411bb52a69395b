using Portico.Samples;
using Xunit.Abstractions;

namespace Portico.BrowserTests;

/// <summary>
/// The enigma.js page of samples/anonymous, samples/ticket, samples/header and samples/session-api
/// (samples/jwt has <see cref="JwtMashupTests"/>) in Chromium, each doing the whole flow of Qlik's
/// WebSocket CSRF article on its allowed sites: the method's login, the qlik-csrf-token read through
/// CORS, the engine WebSocket with it, data on the page. A site the sample's virtual proxy does not
/// list gets no token, a refused socket and no data.
/// </summary>
[Collection(MashupBrowser.Name)]
public sealed class SamplePageTests(MashupEnvironment environment, ITestOutputHelper output)
{
    private const string Alice = "UserDirectory=MASHUP; UserId=alice";

    /// <summary>
    /// anonymous and ticket: a session cookie in the page site's partition (set in the cross-site
    /// fetch); header: no cookie at all (the front sends the header on every request, the session is
    /// found again by user); session-api: the back end's cookie on Portico's domain, which the page shares.
    /// </summary>
    [Theory]
    [InlineData("anonymous", SampleSites.MashupA, "UserDirectory=ANONYMOUS; UserId=anon-", "X-Qlik-Session-anonymous", "partition")]
    [InlineData("anonymous", SampleSites.MashupB, "UserDirectory=ANONYMOUS; UserId=anon-", "X-Qlik-Session-anonymous", "partition")]
    [InlineData("ticket", SampleSites.MashupA, Alice, "X-Qlik-Session-ticket", "partition")]
    [InlineData("ticket", SampleSites.MashupB, Alice, "X-Qlik-Session-ticket", "partition")]
    [InlineData("header", SampleSites.MashupA, Alice, null, null)]
    [InlineData("header", SampleSites.MashupB, Alice, null, null)]
    [InlineData("session-api", SampleSites.SessionApiA, Alice, "X-Qlik-Session-session-api", "domain")]
    [InlineData("session-api", SampleSites.SessionApiB, Alice, "X-Qlik-Session-session-api", "domain")]
    public async Task AllowedSite_WholeCsrfFlow_RendersDocListAndHyperCube(string sample, string site, string engineUser, string? cookieName, string? cookieScope)
    {
        var before = environment.Engine.ObservedRequests.Count;

        var visit = await VisitAsync(sample, site);

        MashupAssert.RendersSalesData(visit);
        Assert.Equal("received", visit.Token);
        var socket = Assert.Single(environment.Engine.ObservedRequests.Skip(before), r => r.IsWebSocket);
        Assert.StartsWith(engineUser, socket.Headers["x-qlik-user"], StringComparison.Ordinal);
        if (cookieName is null)
        {
            Assert.Empty(visit.Cookies);
            return;
        }

        var cookie = Assert.Single(visit.Cookies);
        Assert.Equal(cookieName, cookie.Name);
        Assert.True(cookie.Secure && cookie.HttpOnly, visit.Describe());
        if (cookieScope == "partition")
        {
            Assert.Equal(MashupEnvironment.ProxyHost, cookie.Domain);
            Assert.Equal("https://" + site, cookie.PartitionKey);
        }
        else
        {
            Assert.Equal("." + MashupEnvironment.ProxyHost, cookie.Domain);
        }
    }

    /// <summary>
    /// The stranger site runs the same page (its back end even gets a valid ticket); for session-api
    /// a mashup site outside Portico's domain, which cannot be given the cookie either.
    /// </summary>
    [Theory]
    [InlineData("anonymous", SampleSites.Stranger)]
    [InlineData("ticket", SampleSites.Stranger)]
    [InlineData("header", SampleSites.Stranger)]
    [InlineData("session-api", SampleSites.MashupA)]
    public async Task UnlistedSite_CannotReadTokenAndItsSocketIsRefused(string sample, string site)
    {
        var visit = await VisitAsync(sample, site);

        Assert.StartsWith("not readable", visit.Token, StringComparison.Ordinal);
        MashupAssert.RefusedWithoutData(visit);
    }

    private async Task<MashupVisit> VisitAsync(string sample, string site)
    {
        var visit = await MashupVisit.OpenAsync(environment, environment.SiteUrl(site, sample + "/"), $"{sample}-{site}");
        output.WriteLine(visit.Describe());
        return visit;
    }
}
