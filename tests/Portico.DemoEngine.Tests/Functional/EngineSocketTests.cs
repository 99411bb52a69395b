using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Portico.DemoEngine.Sockets;

namespace Portico.DemoEngine.Tests.Functional;

/// <summary>The socket glue around the dispatcher, over a real Kestrel socket.</summary>
public sealed class EngineSocketTests : IAsyncLifetime
{
    private DemoEngineServer _server = null!;

    public async Task InitializeAsync() => _server = await DemoEngineServer.StartAsync(new DemoEngineOptions());

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Connect_WithIdentity_SendsOnConnectedFirst()
    {
        await using var client = await EngineSocketClient.ConnectAsync(_server, "app/engineData");

        var first = await client.ReceiveAsync();

        Assert.NotNull(first);
        Assert.Equal("OnConnected", first.Value.GetProperty("method").GetString());
        Assert.Equal("SESSION_CREATED", first.Value.GetProperty("params").GetProperty("qSessionState").GetString());
        Assert.False(first.Value.TryGetProperty("id", out _));
    }

    [Fact]
    public async Task Connect_MalformedIdentity_ExplainsAndClosesWithPolicyViolation()
    {
        await using var client = await EngineSocketClient.ConnectAsync(_server, "app/engineData", qlikUser: "CORP\\alice");

        var messages = await client.ReceiveUntilClosedAsync();

        var notification = Assert.Single(messages);
        Assert.Equal("OnAuthenticationInformation", notification.GetProperty("method").GetString());
        Assert.True(notification.GetProperty("params").GetProperty("mustAuthenticate").GetBoolean());
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, client.CloseStatus);
        Assert.Equal("X-Qlik-User header invalid", client.CloseStatusDescription);
    }

    [Fact]
    public async Task Request_OverSocket_AnswersWithMatchingId()
    {
        await using var client = await EngineSocketClient.ConnectAsync(_server, "app/Sales%20Demo.qvf/identity/tab-1");
        await client.ReceiveAsync();

        var reply = await client.RequestAsync("""{"jsonrpc":"2.0","id":41,"method":"GetActiveDoc","handle":-1,"params":[]}""");

        Assert.Equal(41, reply.GetProperty("id").GetInt32());
        Assert.Equal("Sales Demo.qvf", reply.GetProperty("result").GetProperty("qReturn").GetProperty("qGenericId").GetString());
    }

    [Fact]
    public async Task Request_MalformedThenValid_ParseErrorThenAnswer()
    {
        await using var client = await EngineSocketClient.ConnectAsync(_server, "app/engineData");
        await client.ReceiveAsync();

        var parseError = await client.RequestAsync("{\"jsonrpc\":\"2.0\",\"id\":");
        var answer = await client.RequestAsync("""{"jsonrpc":"2.0","id":2,"method":"Nope","handle":-1,"params":[]}""");

        Assert.Equal(JsonValueKind.Null, parseError.GetProperty("id").ValueKind);
        Assert.Equal(-32700, parseError.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(-32601, answer.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(WebSocketState.Open, client.State);
    }

    [Fact]
    public async Task Request_BinaryFrame_ParseErrorAndSocketStaysOpen()
    {
        await using var client = await EngineSocketClient.ConnectAsync(_server, "app/engineData");
        await client.ReceiveAsync();

        await client.SendBinaryAsync(Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":1,"method":"EngineVersion","handle":-1}"""));
        var reply = await client.ReceiveAsync();
        var after = await client.RequestAsync("""{"jsonrpc":"2.0","id":2,"method":"EngineVersion","handle":-1,"params":[]}""");

        Assert.NotNull(reply);
        Assert.Equal(-32700, reply.Value.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(2, after.GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task Request_LargerThanLimit_ClosesWithMessageTooBig()
    {
        await using var client = await EngineSocketClient.ConnectAsync(_server, "app/engineData");
        await client.ReceiveAsync();
        var padding = new string(' ', EngineSocketEndpoint.MaxMessageBytes);

        await client.SendTextAsync($$"""{"jsonrpc":"2.0","id":1,"method":"EngineVersion","handle":-1,"params":[]{{padding}}}""");
        var messages = await client.ReceiveUntilClosedAsync();

        Assert.Empty(messages);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, client.CloseStatus);
    }

    [Fact]
    public async Task Connect_OtherWebSocketPath_Returns404()
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("X-Qlik-User", Users.AliceHeader);
        var uri = new UriBuilder(new Uri(_server.BaseAddress, "hub/engineData")) { Scheme = "ws" }.Uri;

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(uri, CancellationToken.None));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, socket.HttpStatusCode);
    }

    [Fact]
    public async Task Connect_AcceptedSockets_AreCountedAndRecorded()
    {
        await using var server = await DemoEngineServer.StartAsync(new DemoEngineOptions());
        await using (var client = await EngineSocketClient.ConnectAsync(server, "app/engineData/ttl/30?x=1"))
        {
            await client.ReceiveAsync();
            Assert.Equal(1, server.OpenSockets);
        }

        await WaitUntilAsync(() => server.OpenSockets == 0);
        Assert.Equal(1, server.TotalSockets);
        var upgrade = Assert.Single(server.ObservedRequests);
        Assert.True(upgrade.IsWebSocket);
        Assert.Equal("/app/engineData/ttl/30", upgrade.Path);
        Assert.Equal("?x=1", upgrade.QueryString);
        Assert.Equal(Users.AliceHeader, upgrade.Headers["x-qlik-user"]);
    }

    internal static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Condition not met within 10 s.");
            await Task.Delay(20);
        }
    }
}
