using System.Text.Json.Nodes;
using Portico.TestSupport;

namespace Portico.Tests.Functional.Admin;

/// <summary>The unmodified qlik-repo-api client (npm) administers Portico as it would a Qlik site.</summary>
public sealed class QrsClientNodeTests(AdminFixture fixture) : IClassFixture<AdminFixture>
{
    [Fact]
    public async Task QlikRepoApi_ListsCreatesAndUpdatesAVirtualProxy()
    {
        await NodeClients.Shared.EnsureInstalledAsync();
        var input = new JsonObject
        {
            ["host"] = "localhost",
            ["port"] = fixture.QrsApiPort,
            ["caFile"] = fixture.Portico.CaPath,
            ["certFile"] = fixture.Portico.DevelopmentClientCertificatePath,
            ["keyFile"] = fixture.Portico.DevelopmentClientKeyPath,
            ["prefix"] = "fromnode",
            ["engineUrl"] = fixture.EngineUrl,
            ["description"] = "updated by qlik-repo-api",
        };

        var line = await NodeClients.Shared.RunScriptAsync("qrs/virtual-proxies.mjs", input.ToJsonString(), TimeSpan.FromSeconds(30));

        var output = JsonNode.Parse(line)!;
        Assert.True(output["ok"]!.GetValue<bool>(), line);
        Assert.Contains("keep", output["listed"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal("created by qlik-repo-api", output["created"]!["description"]!.GetValue<string>());
        Assert.Equal("updated by qlik-repo-api", output["updated"]!["description"]!.GetValue<string>());
        Assert.Equal(["fromnode"], output["filtered"]!.AsArray().Select(p => p!.GetValue<string>()));
        var applied = Assert.Single(fixture.Portico.Snapshots.Current.Config.VirtualProxies, vp => vp.Prefix == "fromnode");
        Assert.Equal("updated by qlik-repo-api", applied.Description);
        Assert.Equal([fixture.EngineUrl], applied.LoadBalancingServerNodes);
        Assert.Equal(["https://mashup.example.com"], applied.WebsocketCrossOriginWhiteList);
        Assert.Equal("INTERNAL\\sa_repository", applied.ModifiedByUserName);
        using var client = fixture.Portico.CreateClient();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/fromnode/portico-demo/echo")).StatusCode);
    }
}
