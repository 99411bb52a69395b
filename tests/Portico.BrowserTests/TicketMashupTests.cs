using Xunit.Abstractions;

namespace Portico.BrowserTests;

/// <summary>
/// samples/ticket in Chromium: the back end gets a one-time ticket from the QPS API (mutual TLS),
/// the page redeems it on /ticket/qps/csrftoken (Portico starts a session, sets a partitioned
/// cookie and redirects to the URL without the ticket), reads the qlik-csrf-token and opens the
/// engine WebSocket with the cookie and the token.
/// </summary>
[Collection(MashupBrowser.Name)]
public sealed class TicketMashupTests(MashupEnvironment environment, ITestOutputHelper output)
{
    [Theory]
    [InlineData(MashupEnvironment.SiteA)]
    [InlineData(MashupEnvironment.SiteB)]
    public async Task AllowListedSite_TicketRedeemedForCookieAndToken_RendersDocListAndHyperCube(string site)
    {
        var visit = await VisitAsync(site);

        MashupAssert.RendersSalesData(visit);
        Assert.Equal("received", visit.Token);
        var cookie = Assert.Single(visit.Cookies);
        Assert.Equal("X-Qlik-Session-ticket", cookie.Name);
        Assert.Equal("https://" + site, cookie.PartitionKey);
    }

    [Fact]
    public async Task UnlistedSite_EvenWithAValidTicket_CannotReadTokenAndItsSocketIsRefused()
    {
        var visit = await VisitAsync(MashupEnvironment.EvilSite);

        Assert.StartsWith("not readable", visit.Token, StringComparison.Ordinal);
        MashupAssert.RefusedWithoutData(visit);
    }

    private async Task<MashupVisit> VisitAsync(string site)
    {
        var visit = await MashupVisit.OpenAsync(environment, environment.SiteUrl(site, "ticket/"), "ticket-" + site);
        output.WriteLine(visit.Describe());
        return visit;
    }
}
