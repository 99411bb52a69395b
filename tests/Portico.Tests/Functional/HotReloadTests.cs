using System.Net;
using Portico.DemoEngine;
using Portico.Tests.Support;

namespace Portico.Tests.Functional;

public sealed class HotReloadTests : IAsyncLifetime
{
    private DemoEngineServer _engine = null!;
    private PorticoTestHost _portico = null!;

    public async Task InitializeAsync()
    {
        _engine = await DemoEngineServer.StartAsync(new DemoEngineOptions());
        _portico = await PorticoTestHost.StartAsync(PorticoTestHost.BaseConfig(
            PorticoTestHost.AnonymousProxy("", _engine.BaseAddress) with { AdditionalResponseHeaders = "X-Version: 1" }));
    }

    public async Task DisposeAsync()
    {
        await _portico.DisposeAsync();
        await _engine.DisposeAsync();
    }

    [Fact]
    public async Task EditedConfig_TakesEffect_WhileAnOpenWebSocketStaysOpen()
    {
        await using var socket = await QixSocket.ConnectAsync(new Uri($"wss://localhost:{_portico.HttpsPort}/app/engineData"), _portico.CaPath);
        await socket.WaitForNotificationAsync("OnConnected");
        using var client = _portico.CreateClient();
        await client.GetAsync("/added/portico-demo/echo");
        Assert.Contains(_engine.ObservedRequests, r => r.Path == "/added/portico-demo/echo");

        await _portico.ReloadAsync(PorticoTestHost.BaseConfig(
            PorticoTestHost.AnonymousProxy("", _engine.BaseAddress) with { AdditionalResponseHeaders = "X-Version: 2" },
            PorticoTestHost.AnonymousProxy("added", _engine.BaseAddress)));

        var response = await client.GetAsync("/portico-demo/echo");
        Assert.Equal("2", Assert.Single(response.Headers.GetValues("X-Version")));
        var added = await client.GetAsync("/added/portico-demo/echo");
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.Equal("/portico-demo/echo", System.Text.Json.JsonDocument.Parse(await added.Content.ReadAsStringAsync()).RootElement.GetProperty("path").GetString());
        Assert.False(added.Headers.Contains("X-Version"));

        // The socket opened before the reload still carries calls both ways.
        var user = await socket.CallAsync("GetAuthenticatedUser");
        Assert.StartsWith("UserDirectory=ANONYMOUS", user.GetProperty("result").GetProperty("qReturn").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, _engine.OpenSockets);
    }

    [Fact]
    public async Task InvalidEdit_KeepsTheOldConfigActive_AndLogsEveryError()
    {
        var before = _portico.Snapshots.Current.Version;
        await File.WriteAllTextAsync(_portico.ConfigPath, """
            { "virtualProxies": [
                { "prefix": "Bad/Prefix", "loadBalancingServerNodes": [ "not a url" ], "additionalResponseHeaders": "Set-Cookie: a=b" }
            ] }
            """);

        try
        {
            await Eventually.TrueAsync(() => _portico.Logs.Lines.Any(l => l.EventId == 101), TimeSpan.FromSeconds(15), "the rejection to be logged");
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException(ex.Message + " Log: " + _portico.Logs.AllText, ex);
        }

        Assert.Equal(before, _portico.Snapshots.Current.Version);
        var log = _portico.Logs.AllText;
        Assert.Contains("virtualProxies[0].prefix", log, StringComparison.Ordinal);
        Assert.Contains("virtualProxies[0].loadBalancingServerNodes[0]", log, StringComparison.Ordinal);
        Assert.Contains("virtualProxies[0].additionalResponseHeaders: line 1", log, StringComparison.Ordinal);
        using var client = _portico.CreateClient();
        var response = await client.GetAsync("/portico-demo/echo");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1", Assert.Single(response.Headers.GetValues("X-Version")));
    }
}
