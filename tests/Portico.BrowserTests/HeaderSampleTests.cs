using Portico.Samples;
using Xunit.Abstractions;

namespace Portico.BrowserTests;

/// <summary>
/// samples/header in Chromium: the page on a mashup site talks to Portico only through the trusted
/// front (https://front.test/front/…), which sets X-Portico-User from an address Portico trusts.
/// The token comes from the header's session; the browser holds no cookie and never sets the header.
/// </summary>
[Collection(MashupBrowser.Name)]
public sealed class HeaderSampleTests(MashupEnvironment environment, ITestOutputHelper output)
{
    [Theory]
    [InlineData(MashupEnvironment.SiteA)]
    [InlineData(MashupEnvironment.SiteB)]
    public async Task AllowListedSite_ThroughTheFront_RendersDocListAndHyperCubeWithoutCookies(string site)
    {
        var before = environment.Engine.ObservedRequests.Count;

        var visit = await VisitAsync(site);

        MashupAssert.RendersSalesData(visit);
        Assert.Equal("received", visit.Token);
        Assert.DoesNotContain(visit.Cookies, c => c.Domain == SampleSites.Front);
        // The engine saw the front's user, in the header virtual proxy's static directory.
        var socket = Assert.Single(environment.Engine.ObservedRequests.Skip(before), r => r.IsWebSocket);
        Assert.Equal("UserDirectory=MASHUP; UserId=alice", socket.Headers["x-qlik-user"]);
    }

    [Fact]
    public async Task UnlistedSite_ThroughTheFront_CannotReadTokenAndItsSocketIsRefused()
    {
        var visit = await VisitAsync(MashupEnvironment.EvilSite);

        Assert.StartsWith("not readable", visit.Token, StringComparison.Ordinal);
        MashupAssert.RefusedWithoutData(visit);
    }

    private async Task<MashupVisit> VisitAsync(string site)
    {
        var visit = await MashupVisit.OpenAsync(environment, environment.SiteUrl(site, "header/"), "header-" + site);
        output.WriteLine(visit.Describe());
        return visit;
    }
}
