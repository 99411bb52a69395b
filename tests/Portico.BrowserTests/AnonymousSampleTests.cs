using Xunit.Abstractions;

namespace Portico.BrowserTests;

/// <summary>
/// samples/anonymous in Chromium: no login; the first request to /anonymous/qps/csrftoken starts an
/// anonymous session (partitioned cookie) whose token opens the engine WebSocket.
/// </summary>
[Collection(MashupBrowser.Name)]
public sealed class AnonymousSampleTests(MashupEnvironment environment, ITestOutputHelper output)
{
    [Theory]
    [InlineData(MashupEnvironment.SiteA)]
    [InlineData(MashupEnvironment.SiteB)]
    public async Task AllowListedSite_AnonymousSessionAndToken_RendersDocListAndHyperCube(string site)
    {
        var visit = await VisitAsync(site);

        MashupAssert.RendersSalesData(visit);
        Assert.Equal("received", visit.Token);
        var cookie = Assert.Single(visit.Cookies);
        Assert.Equal("X-Qlik-Session-anonymous", cookie.Name);
        Assert.Equal("https://" + site, cookie.PartitionKey);
    }

    [Fact]
    public async Task UnlistedSite_CannotReadTokenAndItsSocketIsRefused()
    {
        var visit = await VisitAsync(MashupEnvironment.EvilSite);

        Assert.StartsWith("not readable", visit.Token, StringComparison.Ordinal);
        MashupAssert.RefusedWithoutData(visit);
    }

    private async Task<MashupVisit> VisitAsync(string site)
    {
        var visit = await MashupVisit.OpenAsync(environment, environment.SiteUrl(site, "anonymous/"), "anonymous-" + site);
        output.WriteLine(visit.Describe());
        return visit;
    }
}
