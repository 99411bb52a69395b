using Portico.DemoEngine;
using Portico.Tests.Support;

namespace Portico.Tests.Functional;

public sealed class HttpsRedirectTests : IAsyncLifetime
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

    [Fact]
    public async Task HttpGet_AnyHostHeader_Redirects301ToConfiguredHostSamePathAndQuery()
    {
        var response = await RawHttp.SendAsync(_portico.HttpPort, "GET /sales/hub/?x=1&y=%20 HTTP/1.1\nHost: evil.example\n", caPath: null);

        Assert.Equal(301, response.Status);
        Assert.Equal($"https://localhost:{_portico.HttpsPort}/sales/hub/?x=1&y=%20", response.Header("Location"));
    }

    [Theory]
    [InlineData("qlikTicket")]
    [InlineData("QlikTicket")]
    [InlineData("X-Qlik-Ticket")]
    [InlineData("x-qlik-ticket")]
    public async Task HttpGet_WithTicket_RedirectLeavesTheTicketOut(string parameter)
    {
        var response = await RawHttp.SendAsync(_portico.HttpPort, $"GET /sales/hub?a=1&{parameter}=secret-ticket-value&b=2 HTTP/1.1\nHost: localhost\n", caPath: null);

        Assert.Equal(301, response.Status);
        Assert.Equal($"https://localhost:{_portico.HttpsPort}/sales/hub?a=1&b=2", response.Header("Location"));
        Assert.DoesNotContain("secret-ticket-value", string.Join("\n", response.Headers.Select(h => h.Value)) + response.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WebSocketUpgradeOnHttp_WithTicket_RefusalDoesNotRepeatTheTicket()
    {
        var response = await RawHttp.SendAsync(_portico.HttpPort,
            "GET /app/engineData?qlikTicket=secret-ticket-value HTTP/1.1\nHost: localhost\nConnection: Upgrade\nUpgrade: websocket\nSec-WebSocket-Version: 13\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\n",
            caPath: null);

        Assert.Equal(400, response.Status);
        Assert.DoesNotContain("secret-ticket-value", response.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpPost_Redirects308SoMethodAndBodySurvive()
    {
        var response = await RawHttp.SendAsync(_portico.HttpPort, "POST /sales/api HTTP/1.1\nHost: localhost\nContent-Length: 2\n", caPath: null, body: "{}");

        Assert.Equal(308, response.Status);
        Assert.Equal($"https://localhost:{_portico.HttpsPort}/sales/api", response.Header("Location"));
    }

    [Fact]
    public async Task HttpRedirect_NeverCarriesHsts()
    {
        var response = await RawHttp.SendAsync(_portico.HttpPort, "GET / HTTP/1.1\nHost: localhost\n", caPath: null);

        Assert.Equal(301, response.Status);
        Assert.Null(response.Header("Strict-Transport-Security"));
    }

    [Fact]
    public async Task HttpRedirect_AbsoluteFormTargetToOtherHost_StillRedirectsToConfiguredHost()
    {
        var response = await RawHttp.SendAsync(_portico.HttpPort, "GET http://evil.example/steal HTTP/1.1\nHost: evil.example\n", caPath: null);

        Assert.Equal(301, response.Status);
        Assert.StartsWith($"https://localhost:{_portico.HttpsPort}/", response.Header("Location"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpRedirect_DoubleSlashPath_StaysOnConfiguredHost()
    {
        var response = await RawHttp.SendAsync(_portico.HttpPort, "GET //evil.example/x HTTP/1.1\nHost: localhost\n", caPath: null);

        Assert.Equal(301, response.Status);
        var location = new Uri(response.Header("Location")!);
        Assert.Equal("localhost", location.Host);
        Assert.Equal(_portico.HttpsPort, location.Port);
    }

    [Fact]
    public async Task WebSocketUpgradeOnHttp_IsRefusedNotRedirected()
    {
        var response = await RawHttp.SendAsync(_portico.HttpPort,
            "GET /app/engineData HTTP/1.1\nHost: localhost\nConnection: Upgrade\nUpgrade: websocket\nSec-WebSocket-Version: 13\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\n",
            caPath: null);

        Assert.Equal(400, response.Status);
        Assert.Null(response.Header("Location"));
        Assert.Contains("wss://", response.Body, StringComparison.Ordinal);
        Assert.Equal(0, _engine.TotalSockets);
    }
}
