using Xunit.Abstractions;

namespace Portico.BrowserTests;

/// <summary>
/// The cookie-less path: the mashup's back end gets a one-time ticket from the QPS API (mutual
/// TLS) and the page opens <c>wss://…/{ticket prefix}/app/engineData?qlikTicket=…</c> directly.
/// No cookie and no CSRF token are needed, so third-party cookie rules do not matter.
/// </summary>
[Collection(MashupBrowser.Name)]
public sealed class TicketMashupTests(MashupEnvironment environment, ITestOutputHelper output)
{
    [Theory]
    [InlineData(MashupEnvironment.SiteA)]
    [InlineData(MashupEnvironment.SiteB)]
    public async Task AllowListedSite_TicketInSocketUrl_RendersDocListAndHyperCube(string site)
    {
        var visit = await VisitAsync(site, "ticket-" + site);

        MashupAssert.RendersSalesData(visit);
        Assert.Equal("not needed (ticket)", visit.Token);
    }

    [Fact]
    public async Task UnlistedSite_EvenWithAValidTicket_SocketIsRefused()
    {
        var visit = await VisitAsync(MashupEnvironment.EvilSite, "ticket-" + MashupEnvironment.EvilSite);

        MashupAssert.RefusedWithoutData(visit);
    }

    private async Task<MashupVisit> VisitAsync(string site, string screenshot)
    {
        var visit = await MashupVisit.OpenAsync(environment, environment.SiteUrl(site, "?auth=ticket"), screenshot);
        output.WriteLine(visit.Describe());
        return visit;
    }
}
