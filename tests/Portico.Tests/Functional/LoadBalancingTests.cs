using System.Net;
using System.Text.Json;
using Portico.DemoEngine;
using Portico.Tests.Support;

namespace Portico.Tests.Functional;

/// <summary>Sticky sessions over two engine nodes, and failover when one dies.</summary>
public sealed class LoadBalancingTests : IAsyncLifetime
{
    private DemoEngineServer _node1 = null!;
    private DemoEngineServer _node2 = null!;
    private PorticoTestHost _portico = null!;

    public async Task InitializeAsync()
    {
        _node1 = await DemoEngineServer.StartAsync(new DemoEngineOptions { NodeName = "node-a" });
        _node2 = await DemoEngineServer.StartAsync(new DemoEngineOptions { NodeName = "node-b" });
        _portico = await PorticoTestHost.StartAsync(PorticoTestHost.BaseConfig(
            PorticoTestHost.AnonymousProxy("bi", _node1.BaseAddress, _node2.BaseAddress)));
    }

    public async Task DisposeAsync()
    {
        await _portico.DisposeAsync();
        await _node1.DisposeAsync();
        await _node2.DisposeAsync();
    }

    [Fact]
    public async Task TwoClients_SpreadOverNodes_EachSticksToItsNode_AndMovesWhenItsNodeDies()
    {
        var cookiesA = new CookieContainerHolder();
        var cookiesB = new CookieContainerHolder();
        using var clientA = _portico.CreateClient(cookies: cookiesA);
        using var clientB = _portico.CreateClient(cookies: cookiesB);

        var nodeOfA = await NodeOf(clientA);
        var tokenA = await clientA.CsrfTokenAsync("/bi");
        await using var socketA = await QixSocket.ConnectAsync(WebSocketUrl(), _portico.CaPath, cookiesA.Container, Token(tokenA));
        await socketA.WaitForNotificationAsync("OnConnected");
        Assert.Equal(1, Engine(nodeOfA).OpenSockets);

        // A holds a socket on its node, so the least-loaded node for a new client is the other one.
        var nodeOfB = await NodeOf(clientB);
        Assert.NotEqual(nodeOfA, nodeOfB);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(nodeOfA, await NodeOf(clientA));
            Assert.Equal(nodeOfB, await NodeOf(clientB));
        }

        await using (var secondSocketOfB = await QixSocket.ConnectAsync(WebSocketUrl(), _portico.CaPath, cookiesB.Container, Token(await clientB.CsrfTokenAsync("/bi"))))
        {
            await secondSocketOfB.WaitForNotificationAsync("OnConnected");
            Assert.Equal(1, Engine(nodeOfB).OpenSockets);
        }

        // Node of A dies: its socket closes, and A's new connections land on the survivor.
        await Engine(nodeOfA).StopAsync();
        Assert.True(await socketA.WaitForCloseAsync(TimeSpan.FromSeconds(10)));
        await Eventually.TrueAsync(async () =>
        {
            var response = await clientA.GetAsync("/bi/portico-demo/echo");
            return response.StatusCode == HttpStatusCode.OK
                && JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("nodeName").GetString() == nodeOfB;
        }, TimeSpan.FromSeconds(15), "client A to be served by the surviving node");

        var survivorSocketsBefore = Engine(nodeOfB).TotalSockets;
        for (var i = 0; i < 3; i++)
        {
            await using var socket = await QixSocket.ConnectAsync(WebSocketUrl(), _portico.CaPath, cookiesA.Container, Token(tokenA));
            var user = await socket.CallAsync("GetAuthenticatedUser");
            Assert.StartsWith("UserDirectory=ANONYMOUS", user.GetProperty("result").GetProperty("qReturn").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(survivorSocketsBefore + 3, Engine(nodeOfB).TotalSockets);
    }

    [Fact]
    public async Task Affinity_LivesInTheSession_NoExtraCookieIsSet()
    {
        using var client = _portico.CreateClient();

        var response = await client.GetAsync("/bi/portico-demo/echo");

        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("X-Qlik-Session-bi=", cookie, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Token(string token) => new() { ["qlik-csrf-token"] = token };

    private Uri WebSocketUrl() => new($"wss://localhost:{_portico.HttpsPort}/bi/app/engineData");

    private DemoEngineServer Engine(string nodeName) => nodeName == _node1.NodeName ? _node1 : _node2;

    private static async Task<string> NodeOf(HttpClient client)
    {
        var response = await client.GetAsync("/bi/portico-demo/echo");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("nodeName").GetString()!;
    }
}
