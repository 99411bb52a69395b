using System.Net;
using System.Text.Json;
using Portico.Configuration;
using Portico.DemoEngine;
using Portico.Tests.Support;

namespace Portico.Tests.Functional;

/// <summary>
/// A virtual proxy with one engine node forwards without YARP's proxy pipeline: its failure answer
/// and its recovery must be what they are through the pipeline.
/// </summary>
public sealed class SingleEngineNodeTests
{
    [Fact]
    public async Task NodeStops_AnswersEngineUnavailableWithTheHeaders_ThenServesAgainWhenItIsBack()
    {
        var engine = await DemoEngineServer.StartAsync(new DemoEngineOptions { NodeName = "solo" });
        var address = engine.BaseAddress;
        await using var portico = await PorticoTestHost.StartAsync(PorticoTestHost.BaseConfig(
            PorticoTestHost.AnonymousProxy("solo", address) with { AdditionalResponseHeaders = "X-Custom: solo-vp" }) with
        {
            Hsts = new HstsConfig { MaxAgeSeconds = 600 },
        });
        using var client = portico.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/solo/portico-demo/echo")).StatusCode);

        await engine.DisposeAsync();

        // Whether or not the health checks have noticed yet, the only node is the one to try.
        for (var i = 0; i < 3; i++)
        {
            var failed = await client.GetAsync("/solo/portico-demo/echo");
            Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
            using var json = JsonDocument.Parse(await failed.Content.ReadAsStringAsync());
            Assert.Equal("engine_unavailable", json.RootElement.GetProperty("error").GetString());
            Assert.Contains("'solo'", json.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Equal("solo-vp", Assert.Single(failed.Headers.GetValues("X-Custom")));
            Assert.Equal("max-age=600", Assert.Single(failed.Headers.GetValues("Strict-Transport-Security")));
        }

        await using var restarted = await DemoEngineServer.StartAsync(new DemoEngineOptions { NodeName = "solo", Url = address.ToString().TrimEnd('/') });
        await Eventually.TrueAsync(async () => (await client.GetAsync("/solo/portico-demo/echo")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(15), "the node to be served again once it is back");
    }
}
