using System.Text.Json;
using Portico.DemoEngine;
using Portico.TestSupport;
using Portico.Tests.Support;

namespace Portico.Tests.Functional;

/// <summary>An unmodified enigma.js client (npm enigma.js + ws) talking to the demo engine through Portico over wss://.</summary>
public sealed class EnigmaThroughPorticoTests : IAsyncLifetime
{
    private DemoEngineServer _engine = null!;
    private PorticoTestHost _portico = null!;

    public async Task InitializeAsync()
    {
        _engine = await DemoEngineServer.StartAsync(new DemoEngineOptions());
        _portico = await PorticoTestHost.StartAsync(PorticoTestHost.BaseConfig(
            PorticoTestHost.AnonymousProxy("", _engine.BaseAddress),
            PorticoTestHost.AnonymousProxy("sales", _engine.BaseAddress)));
    }

    public async Task DisposeAsync()
    {
        await _portico.DisposeAsync();
        await _engine.DisposeAsync();
    }

    [Theory]
    [InlineData("/app/engineData")]
    [InlineData("/sales/app/engineData")]
    public async Task EnigmaClient_ThroughPortico_ListsDocsSeesInjectedIdentityAndReadsAHyperCube(string path)
    {
        var result = await NodeClients.Shared.RunEnigmaAsync(new EnigmaRunRequest
        {
            Url = $"wss://localhost:{_portico.HttpsPort}{path}",
            CaFile = _portico.CaPath,
            AppId = "Sales Demo.qvf",
            Steps = EnigmaSteps.FullSession,
            HyperCube = new EnigmaHyperCubeRequest(["Region"], ["Sum(Sales)"]),
        });

        Assert.True(result.Ok, result.RawJson);
        Assert.Contains(result.Result(EnigmaSteps.GetDocList).EnumerateArray(), d => d.GetProperty("qDocName").GetString() == "Sales Demo.qvf");
        var user = result.Result(EnigmaSteps.GetAuthenticatedUser).GetString();
        Assert.StartsWith("UserDirectory=ANONYMOUS; UserId=anon-", user, StringComparison.Ordinal);
        var matrix = result.Result(EnigmaSteps.HyperCube).GetProperty("qMatrix");
        Assert.True(matrix.GetArrayLength() > 1, result.RawJson);
        Assert.All(matrix.EnumerateArray(), row => Assert.Equal(2, row.GetArrayLength()));

        // The engine saw Portico's identity on the upgrade, and the prefix was removed.
        var upgrade = Assert.Single(_engine.ObservedRequests, r => r.IsWebSocket);
        Assert.Equal("/app/engineData", upgrade.Path);
        Assert.Equal(user, upgrade.Headers["x-qlik-user"]);
    }

    [Fact]
    public async Task EnigmaClient_SpoofingXQlikUserOnTheUpgrade_GetsPorticosIdentityInstead()
    {
        var result = await NodeClients.Shared.RunEnigmaAsync(new EnigmaRunRequest
        {
            Url = $"wss://localhost:{_portico.HttpsPort}/sales/app/engineData",
            CaFile = _portico.CaPath,
            Headers = new Dictionary<string, string> { ["X-Qlik-User"] = "UserDirectory=CORP; UserId=admin", ["x_qlik_user"] = "UserDirectory=CORP; UserId=root" },
            Steps = [EnigmaSteps.GetAuthenticatedUser],
        });

        Assert.True(result.Ok, result.RawJson);
        var user = result.Result(EnigmaSteps.GetAuthenticatedUser).GetString()!;
        Assert.StartsWith("UserDirectory=ANONYMOUS", user, StringComparison.Ordinal);
        Assert.DoesNotContain("admin", user, StringComparison.Ordinal);
        var upgrade = Assert.Single(_engine.ObservedRequests, r => r.IsWebSocket);
        Assert.DoesNotContain(upgrade.Headers.Keys, k => k.Contains('_', StringComparison.Ordinal));
    }

    [Fact]
    public async Task EnigmaClient_OpenDocOnUnknownApp_GetsTheEnginesErrorThroughPortico()
    {
        var result = await NodeClients.Shared.RunEnigmaAsync(new EnigmaRunRequest
        {
            Url = $"wss://localhost:{_portico.HttpsPort}/app/engineData",
            CaFile = _portico.CaPath,
            AppId = "No Such App.qvf",
            Steps = [EnigmaSteps.OpenDoc],
        });

        Assert.False(result.Ok);
        Assert.Equal(EnigmaSteps.OpenDoc, result.FailedStep);
        Assert.Equal(1003, result.ErrorCode);
    }

    [Fact]
    public async Task EnigmaClient_WithoutTrustingTheCertificate_CannotConnect()
    {
        var result = await NodeClients.Shared.RunEnigmaAsync(new EnigmaRunRequest
        {
            Url = $"wss://localhost:{_portico.HttpsPort}/app/engineData",
            Steps = [EnigmaSteps.EngineVersion],
        });

        Assert.False(result.Ok);
        Assert.DoesNotContain(_engine.ObservedRequests, r => r.IsWebSocket);
        _ = JsonDocument.Parse(result.RawJson);
    }
}
