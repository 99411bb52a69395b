using System.Net;
using Portico.Configuration;
using Portico.DemoEngine;
using Portico.Hosting;
using Portico.TestSupport;
using Portico.Tests.Support;

namespace Portico.Tests.Functional;

/// <summary>
/// The demo's landing page through Portico: Portico forwards <c>/</c> to the engine as for any engine,
/// the page lists the running configuration's virtual proxies (a reload included), and the WebSocket
/// at <c>/</c> still reaches the engine's global context.
/// </summary>
public sealed class DemoLandingPageTests : IAsyncLifetime
{
    private DemoEngineServer _engine = null!;
    private PorticoTestHost _portico = null!;

    public async Task InitializeAsync()
    {
        PorticoTestHost? portico = null;
        _engine = await DemoEngineServer.StartAsync(new DemoEngineOptions
        {
            NodeName = "demo-engine",
            LandingPage = () => DemoLandingPage.From(portico!.Snapshots.Current, portico.CaPath),
        });
        _portico = portico = await PorticoTestHost.StartAsync(Config("<Anonymous> & co"));
    }

    public async Task DisposeAsync()
    {
        await _portico.DisposeAsync();
        await _engine.DisposeAsync();
    }

    [Fact]
    public async Task Get_RootThroughPortico_ListsTheRunningVirtualProxiesEscaped()
    {
        var page = await GetPageAsync();

        Assert.Contains("&lt;Anonymous&gt; &amp; co", page, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/sales/qps/user\">", page, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/sales/portico-demo/echo\">", page, StringComparison.Ordinal);
        Assert.Contains("<td>Ticket</td>", page, StringComparison.Ordinal);

        await _portico.ReloadAsync(Config("renamed after a reload"));

        Assert.Contains("renamed after a reload", await GetPageAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WebSocket_AtTheRootThroughPortico_IsStillTheEnginesGlobalContext()
    {
        var result = await NodeClients.Shared.RunEnigmaAsync(new EnigmaRunRequest
        {
            Url = $"wss://localhost:{_portico.HttpsPort}/",
            CaFile = _portico.CaPath,
            Steps = [EnigmaSteps.GetDocList],
        });

        Assert.True(result.Ok, result.RawJson);
    }

    private async Task<string> GetPageAsync()
    {
        using var client = _portico.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/", UriKind.Relative));
        request.Headers.Accept.ParseAdd("text/html");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync();
    }

    private PorticoConfig Config(string defaultDescription) => PorticoTestHost.BaseConfig(
        PorticoTestHost.AnonymousProxy("", _engine.BaseAddress) with { Description = defaultDescription },
        PorticoTestHost.AnonymousProxy("sales", _engine.BaseAddress) with { AnonymousAccessMode = AnonymousAccessMode.NoAnonymousUser });
}
