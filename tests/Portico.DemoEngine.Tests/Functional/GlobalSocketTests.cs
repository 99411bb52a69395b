using System.Net;
using System.Net.WebSockets;
using Portico.DemoEngine.Qix;
using Portico.TestSupport;

namespace Portico.DemoEngine.Tests.Functional;

/// <summary>
/// The engine's WebSocket at the root, <c>/</c>: a session on the global context, as a Qlik engine
/// serves it and as nebula.js opens it (<c>wss://host/{prefix}?qlik-csrf-token=...</c> reaches the
/// engine as <c>/</c> once the proxy removed its prefix and the token). The same identity rules as
/// <c>/app/...</c>.
/// </summary>
public sealed class GlobalSocketTests : IAsyncLifetime
{
    private DemoEngineServer _server = null!;

    public async Task InitializeAsync() => _server = await DemoEngineServer.StartAsync(new DemoEngineOptions());

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task RunEnigma_AtRootWithProxyIdentity_GlobalMethodsThenOpenDocWork()
    {
        var result = await NodeClients.Shared.RunEnigmaAsync(new EnigmaRunRequest
        {
            Url = EnigmaClientTests.SocketUrl(_server, "?reloadUri=x"),
            Headers = new Dictionary<string, string> { ["X-Qlik-User"] = "UserDirectory=MASHUP; UserId=bob" },
            Steps = EnigmaSteps.FullSession,
        });

        Assert.True(result.Ok, result.RawJson);
        Assert.Equal(EngineInfo.Version, result.Result(EnigmaSteps.EngineVersion).GetProperty("qComponentVersion").GetString());
        Assert.Equal(
            ["Sales Demo.qvf", "Operations.qvf"],
            result.Result(EnigmaSteps.GetDocList).EnumerateArray().Select(d => d.GetProperty("qDocName").GetString()));
        Assert.Equal("UserDirectory=MASHUP; UserId=bob", result.Result(EnigmaSteps.GetAuthenticatedUser).GetString());
        Assert.Equal("Sales Demo.qvf", result.Result(EnigmaSteps.OpenDoc).GetProperty("id").GetString());
        var rows = result.Result(EnigmaSteps.HyperCube).GetProperty("qMatrix").EnumerateArray()
            .ToDictionary(row => row[0].GetProperty("qText").GetString()!, row => row[1].GetProperty("qNum").GetDouble());
        Assert.Equal(241720, rows["DACH"]);
        Assert.Equal("OnConnected", Assert.Single(result.Notifications).Method);
    }

    [Fact]
    public async Task Connect_AtRoot_NoAppIsOpenUntilOpenDoc()
    {
        await using var client = await EngineSocketClient.ConnectAsync(_server, "");
        var connected = await client.ReceiveAsync();

        var active = await client.RequestAsync("""{"jsonrpc":"2.0","id":1,"method":"GetActiveDoc","handle":-1,"params":[]}""");

        Assert.Equal("OnConnected", connected!.Value.GetProperty("method").GetString());
        Assert.Equal(QixErrorCodes.AppNotOpen, active.GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Connect_AtRootWithAnotherUsersVisibility_DocListIsThatUsers()
    {
        await using var anonymous = await EngineSocketClient.ConnectAsync(_server, "", qlikUser: "UserDirectory=ANONYMOUS; UserId=guest-9");
        await anonymous.ReceiveAsync();

        var docs = await anonymous.RequestAsync("""{"jsonrpc":"2.0","id":1,"method":"GetDocList","handle":-1,"params":[]}""");

        // Operations.qvf is not for anonymous users, on the root as on /app/engineData.
        Assert.Equal(
            ["Sales Demo.qvf"],
            docs.GetProperty("result").GetProperty("qDocList").EnumerateArray().Select(d => d.GetProperty("qDocName").GetString()));
    }

    [Theory]
    [InlineData(null, "X-Qlik-User header missing")]
    [InlineData("CORP\\alice", "X-Qlik-User header invalid")]
    public async Task Connect_AtRootWithoutValidIdentity_ExplainsAndClosesWithPolicyViolation(string? qlikUser, string closeReason)
    {
        await using var client = await EngineSocketClient.ConnectAsync(_server, "", qlikUser);

        var messages = await client.ReceiveUntilClosedAsync();

        var notification = Assert.Single(messages);
        Assert.Equal("OnAuthenticationInformation", notification.GetProperty("method").GetString());
        Assert.True(notification.GetProperty("params").GetProperty("mustAuthenticate").GetBoolean());
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, client.CloseStatus);
        Assert.Equal(closeReason, client.CloseStatusDescription);
    }

    [Fact]
    public async Task Connect_AtRoot_IsRecordedAsRootWithItsQuery()
    {
        await using var server = await DemoEngineServer.StartAsync(new DemoEngineOptions());
        await using (var client = await EngineSocketClient.ConnectAsync(server, "?x=1"))
        {
            await client.ReceiveAsync();
        }

        var upgrade = Assert.Single(server.ObservedRequests);
        Assert.True(upgrade.IsWebSocket);
        Assert.Equal("/", upgrade.Path);
        Assert.Equal("?x=1", upgrade.QueryString);
        Assert.Equal(1, server.TotalSockets);
    }

    [Fact]
    public async Task Get_RootOverPlainHttp_Returns404()
    {
        using var http = new HttpClient { BaseAddress = _server.BaseAddress };

        using var response = await http.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
