using System.Text.Json;
using Portico.TestSupport;

namespace Portico.DemoEngine.Tests.Functional;

/// <summary>The engine driven by the real, unmodified enigma.js over ws, as a mashup would.</summary>
public sealed class EnigmaClientTests : IAsyncLifetime
{
    private const string EncodedIdentity = "UserDirectory=ACME%20EU; UserId=alice%40example.com";
    private const string DecodedIdentity = "UserDirectory=ACME EU; UserId=alice@example.com";

    private DemoEngineServer _server = null!;

    public async Task InitializeAsync() => _server = await DemoEngineServer.StartAsync(new DemoEngineOptions());

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task RunEnigma_WithProxyIdentity_FullSessionWorks()
    {
        var result = await RunAsync(new EnigmaRunRequest
        {
            Url = SocketUrl(_server, "app/engineData"),
            Headers = Identity(EncodedIdentity),
            Steps = EnigmaSteps.FullSession,
        });

        Assert.True(result.Ok, result.RawJson);
        Assert.Equal("12.2000.0", result.Result(EnigmaSteps.EngineVersion).GetProperty("qComponentVersion").GetString());
        Assert.Equal(
            ["Sales Demo.qvf", "Operations.qvf"],
            result.Result(EnigmaSteps.GetDocList).EnumerateArray().Select(d => d.GetProperty("qDocName").GetString()));
        Assert.Equal(DecodedIdentity, result.Result(EnigmaSteps.GetAuthenticatedUser).GetString());
        Assert.Equal("Sales Demo.qvf", result.Result(EnigmaSteps.OpenDoc).GetProperty("id").GetString());
        Assert.Equal("Doc", result.Result(EnigmaSteps.OpenDoc).GetProperty("type").GetString());

        var cube = result.Result(EnigmaSteps.HyperCube);
        Assert.Equal(4, cube.GetProperty("qSize").GetProperty("qcy").GetInt32());
        var rows = cube.GetProperty("qMatrix").EnumerateArray()
            .ToDictionary(row => row[0].GetProperty("qText").GetString()!, row => row[1].GetProperty("qNum").GetDouble());
        Assert.Equal(255081, rows["Nordic"]);
        Assert.Equal(187666, rows["APAC"]);

        var connected = Assert.Single(result.Notifications);
        Assert.Equal("OnConnected", connected.Method);
        Assert.Equal("SESSION_CREATED", connected.Params.GetProperty("qSessionState").GetString());
        Assert.Equal(1000, result.CloseCode);
    }

    [Fact]
    public async Task RunEnigma_WithoutIdentity_GetsAuthenticationNotificationAndPolicyClose()
    {
        var result = await RunAsync(new EnigmaRunRequest
        {
            Url = SocketUrl(_server, "app/engineData"),
            Steps = [EnigmaSteps.EngineVersion],
        });

        Assert.False(result.Ok);
        var notification = Assert.Single(result.Notifications);
        Assert.Equal("OnAuthenticationInformation", notification.Method);
        Assert.True(notification.Params.GetProperty("mustAuthenticate").GetBoolean());
        Assert.Contains("X-Qlik-User", notification.Params.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(1008, result.CloseCode);
        Assert.Equal("X-Qlik-User header missing", result.CloseReason);
        Assert.Null(result.HttpStatus);
    }

    [Fact]
    public async Task RunEnigma_AppInUrlAsAnonymous_OpensItAndHidesRestrictedApp()
    {
        var result = await RunAsync(new EnigmaRunRequest
        {
            Url = SocketUrl(_server, "app/Sales%20Demo.qvf/identity/tab-7"),
            Headers = Identity("UserDirectory=ANONYMOUS; UserId=guest-42"),
            Steps = [EnigmaSteps.GetActiveDoc, EnigmaSteps.GetDocList, EnigmaSteps.HyperCube],
            HyperCube = new EnigmaHyperCubeRequest(["Year"], ["Count(DISTINCT Country)", "Sum(Sales)"]),
        });

        Assert.True(result.Ok, result.RawJson);
        Assert.Equal("Sales Demo.qvf", result.Result(EnigmaSteps.GetActiveDoc).GetProperty("id").GetString());
        Assert.Single(result.Result(EnigmaSteps.GetDocList).EnumerateArray());
        var years = result.Result(EnigmaSteps.HyperCube).GetProperty("qMatrix").EnumerateArray().ToList();
        Assert.Equal([2023d, 2024d], years.Select(row => row[0].GetProperty("qNum").GetDouble()));
        Assert.All(years, row => Assert.Equal(8, row[1].GetProperty("qNum").GetDouble()));
        Assert.Equal([472930d, 451091d], years.Select(row => row[2].GetProperty("qNum").GetDouble()));
    }

    [Fact]
    public async Task RunEnigma_RestrictedAppAsAnonymous_FailsWithAccessDeniedButKeepsSocket()
    {
        var result = await RunAsync(new EnigmaRunRequest
        {
            Url = SocketUrl(_server, "app/engineData"),
            Headers = Identity("UserDirectory=ANONYMOUS; UserId=guest-42"),
            AppId = "Operations.qvf",
            Steps = [EnigmaSteps.GetAuthenticatedUser, EnigmaSteps.OpenDoc],
        });

        Assert.False(result.Ok);
        Assert.Equal(EnigmaSteps.OpenDoc, result.FailedStep);
        Assert.Equal(5, result.ErrorCode);
        Assert.Equal("UserDirectory=ANONYMOUS; UserId=guest-42", result.Result(EnigmaSteps.GetAuthenticatedUser).GetString());
        Assert.Equal(1000, result.CloseCode);
    }

    [Fact]
    public async Task RunEnigma_UnknownApp_FailsWithAppNotFound()
    {
        var result = await RunAsync(new EnigmaRunRequest
        {
            Url = SocketUrl(_server, "app/engineData"),
            Headers = Identity(Users.AliceHeader),
            AppId = "Missing.qvf",
            Steps = [EnigmaSteps.OpenDoc],
        });

        Assert.False(result.Ok);
        Assert.Equal(1003, result.ErrorCode);
        Assert.Equal("App not found", result.Error);
    }

    [Fact]
    public async Task RunEnigma_OperationsHyperCube_AggregatesDecimals()
    {
        var result = await RunAsync(new EnigmaRunRequest
        {
            Url = SocketUrl(_server, "app/engineData"),
            Headers = Identity(Users.AliceHeader),
            AppId = "Operations.qvf",
            Steps = [EnigmaSteps.GetAppLayout, EnigmaSteps.HyperCube],
            HyperCube = new EnigmaHyperCubeRequest(["Site"], ["Sum(Downtime)", "Sum(Incidents)"]),
        });

        Assert.True(result.Ok, result.RawJson);
        Assert.Equal("Operations", result.Result(EnigmaSteps.GetAppLayout).GetProperty("qTitle").GetString());
        var lyon = result.Result(EnigmaSteps.HyperCube).GetProperty("qMatrix").EnumerateArray()
            .Single(row => row[0].GetProperty("qText").GetString() == "Lyon");
        Assert.Equal(48.2, lyon[1].GetProperty("qNum").GetDouble(), precision: 6);
        Assert.Equal("48.2", lyon[1].GetProperty("qText").GetString());
        Assert.Equal(34, lyon[2].GetProperty("qNum").GetDouble());
    }

    [Fact]
    public async Task RunEnigma_HoldOpen_SocketSurvivesTheHold()
    {
        var result = await RunAsync(new EnigmaRunRequest
        {
            Url = SocketUrl(_server, "app/engineData"),
            Headers = Identity(EncodedIdentity),
            Steps = [EnigmaSteps.GetAuthenticatedUser],
            HoldOpenMs = 300,
        });

        Assert.True(result.Ok, result.RawJson);
        Assert.Equal(DecodedIdentity, result.Result(EnigmaSteps.AfterHold).GetString());
    }

    [Fact]
    public async Task RunEnigma_NotAnEnginePath_ReportsHttpStatus()
    {
        var result = await RunAsync(new EnigmaRunRequest
        {
            Url = SocketUrl(_server, "hub/engineData"),
            Headers = Identity(Users.AliceHeader),
            Steps = [EnigmaSteps.EngineVersion],
        });

        Assert.False(result.Ok);
        Assert.Equal(404, result.HttpStatus);
        Assert.Equal("open", result.FailedStep);
        Assert.Equal("Unexpected server response: 404", result.Error);
    }

    [Fact]
    public async Task StopAsync_DuringOpenSession_DropsSocketLikeADeadNode()
    {
        var server = await DemoEngineServer.StartAsync(new DemoEngineOptions { NodeName = "doomed" });
        await using (server)
        {
            var run = RunAsync(new EnigmaRunRequest
            {
                Url = SocketUrl(server, "app/engineData"),
                Headers = Identity(Users.AliceHeader),
                Steps = [EnigmaSteps.GetAuthenticatedUser],
                HoldOpenMs = 20_000,
            });
            // The client is in its hold once its one call reached the engine and the reply had time to travel back.
            await EngineSocketTests.WaitUntilAsync(() => server.HandledCalls == 1 || run.IsCompleted);
            await Task.Delay(250);
            Assert.False(run.IsCompleted);
            Assert.Equal(1, server.OpenSockets);

            var stopping = System.Diagnostics.Stopwatch.StartNew();
            await server.StopAsync();
            stopping.Stop();
            var result = await run;

            Assert.False(result.Ok, result.RawJson);
            Assert.Equal(Users.AliceHeader, result.Result(EnigmaSteps.GetAuthenticatedUser).GetString());
            Assert.Equal(EnigmaSteps.AfterHold, result.FailedStep);
            Assert.Equal(1006, result.CloseCode);
            Assert.Equal("OnConnected", Assert.Single(result.Notifications).Method);
            Assert.Equal(0, server.OpenSockets);
            Assert.Equal(1, server.TotalSockets);

            // Open sockets are cut, not waited for: the host's 5 s shutdown timeout must not be what ends them.
            Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(3), $"StopAsync took {stopping.Elapsed}.");
        }
    }

    private static Task<EnigmaRunResult> RunAsync(EnigmaRunRequest request) => NodeClients.Shared.RunEnigmaAsync(request);

    private static Dictionary<string, string> Identity(string header) => new() { ["X-Qlik-User"] = header };

    internal static string SocketUrl(DemoEngineServer server, string path) =>
        new UriBuilder(new Uri(server.BaseAddress, path)) { Scheme = "ws" }.Uri.AbsoluteUri;
}
