using Xunit.Abstractions;

namespace Portico.BrowserTests;

/// <summary>
/// samples/jwt/nebula.html: nebula.js through Portico in Chromium: a page on another site logs in through its back end (JWT),
/// then follows nebula.js's own flow on the session cookie: the token from /{prefix}/qps/csrftoken,
/// the global socket at wss://proxy/{prefix}?qlik-csrf-token=... (no /app), an app socket, and
/// stardust 7.4.0 rendering a chart type defined in the page from the hypercube the engine computed.
/// </summary>
[Collection(MashupBrowser.Name)]
public sealed class NebulaMashupTests(MashupEnvironment environment, ITestOutputHelper output)
{
    [Fact]
    public async Task AllowListedSite_GlobalSocketWithoutAppAndStardustChart_RendersSalesByRegion()
    {
        var before = environment.Engine.ObservedRequests.Count;

        var visit = await VisitAsync(MashupEnvironment.SiteA);

        Assert.True(visit.State == "ready", visit.Describe());
        Assert.Equal("received", visit.Token);
        Assert.Equal("open", visit.GlobalSocket);
        Assert.Equal("open", visit.AppSocket);
        Assert.Equal("rendered", visit.Render);
        // Every QIX call the page and stardust made was answered: none met an unknown method.
        Assert.True(visit.RpcErrors.Count == 0, visit.Describe());
        Assert.Equal("UserDirectory=MASHUP; UserId=alice", visit.EngineUser);
        Assert.Contains("Sales Demo.qvf", visit.Docs);
        var rendered = visit.Rows.ToDictionary(row => row[0], row => row[1]);
        Assert.Equal(MashupAssert.SalesByRegion.OrderBy(p => p.Key), rendered.OrderBy(p => p.Key));

        // The global socket reached the engine's root, as the proxy's user and without the token.
        var upgrades = environment.Engine.ObservedRequests.Skip(before).Where(r => r.IsWebSocket).ToList();
        var global = Assert.Single(upgrades, r => r.Path == "/");
        Assert.Equal("", global.QueryString);
        Assert.Equal("UserDirectory=MASHUP; UserId=alice", global.Headers["x-qlik-user"]);
        Assert.Single(upgrades, r => r.Path == "/app/Sales Demo.qvf");
        Assert.All(upgrades, r => Assert.DoesNotContain("qlik-csrf-token", r.QueryString, StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnlistedSite_SameNebulaPage_CannotReadTokenAndItsGlobalSocketIsRefused()
    {
        var visit = await VisitAsync(MashupEnvironment.EvilSite);

        Assert.True(visit.State == "error", visit.Describe());
        Assert.StartsWith("not readable", visit.Token, StringComparison.Ordinal);
        Assert.Equal("refused", visit.GlobalSocket);
        Assert.Contains(visit.SocketErrors, e => e.Contains("403", StringComparison.Ordinal));
        Assert.Empty(visit.Docs);
        Assert.Empty(visit.Rows);
        Assert.Equal("", visit.EngineUser);
    }

    private async Task<NebulaVisit> VisitAsync(string site)
    {
        var visit = await NebulaVisit.OpenAsync(environment, site, "nebula-" + site);
        output.WriteLine(visit.Describe());
        return visit;
    }
}
