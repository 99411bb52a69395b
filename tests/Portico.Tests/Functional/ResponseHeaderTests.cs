using System.Net;
using Portico.Configuration;
using Portico.DemoEngine;
using Portico.Tests.Support;

namespace Portico.Tests.Functional;

public sealed class ResponseHeaderTests : IAsyncLifetime
{
    private DemoEngineServer _engine = null!;
    private PorticoTestHost _portico = null!;

    public async Task InitializeAsync()
    {
        _engine = await DemoEngineServer.StartAsync(new DemoEngineOptions());
        var config = PorticoTestHost.BaseConfig(
            PorticoTestHost.AnonymousProxy("", _engine.BaseAddress) with { AdditionalResponseHeaders = "X-Frame-Options: DENY\r\nX-Custom: default-vp" },
            PorticoTestHost.AnonymousProxy("sales", _engine.BaseAddress) with
            {
                AdditionalResponseHeaders = "Strict-Transport-Security: max-age=31536000;includeSubDomains;Preload\nX-Custom: sales-vp",
            },
            PorticoTestHost.AnonymousProxy("secure", _engine.BaseAddress) with { AnonymousAccessMode = AnonymousAccessMode.NoAnonymousUser, AdditionalResponseHeaders = "X-Custom: secure-vp" }) with
        {
            Hsts = new HstsConfig { MaxAgeSeconds = 600 },
        };
        _portico = await PorticoTestHost.StartAsync(config);
    }

    public async Task DisposeAsync()
    {
        await _portico.DisposeAsync();
        await _engine.DisposeAsync();
    }

    [Fact]
    public async Task ProxiedResponse_HasGlobalHstsAndTheVirtualProxysHeaders()
    {
        using var client = _portico.CreateClient();

        var response = await client.GetAsync("/portico-demo/echo");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("max-age=600", Single(response, "Strict-Transport-Security"));
        Assert.Equal("DENY", Single(response, "X-Frame-Options"));
        Assert.Equal("default-vp", Single(response, "X-Custom"));
    }

    [Fact]
    public async Task VirtualProxyWithOwnHstsLine_SendsItInsteadOfTheGlobalOne()
    {
        using var client = _portico.CreateClient();

        var response = await client.GetAsync("/sales/portico-demo/echo");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("max-age=31536000;includeSubDomains;Preload", Single(response, "Strict-Transport-Security"));
        Assert.Equal("sales-vp", Single(response, "X-Custom"));
    }

    [Fact]
    public async Task PorticosOwnErrorResponse_StillCarriesTheVirtualProxysHeaders()
    {
        using var client = _portico.CreateClient();

        var response = await client.GetAsync("/secure/portico-demo/echo");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("secure-vp", Single(response, "X-Custom"));
        Assert.Equal("max-age=600", Single(response, "Strict-Transport-Security"));
        Assert.DoesNotContain(_engine.ObservedRequests, r => r.Path.StartsWith("/portico-demo", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RejectedPath_GetsHstsEvenWithoutAVirtualProxy()
    {
        var response = await RawHttp.SendAsync(_portico.HttpsPort, "GET /sales/%2Fetc HTTP/1.1\nHost: localhost\n", _portico.CaPath);

        Assert.Equal(400, response.Status);
        Assert.Equal("max-age=600", response.Header("Strict-Transport-Security"));
    }

    [Fact]
    public async Task EngineUnreachable_Answers502Or503WithAClearBodyAndTheHeaders()
    {
        var deadEngine = new Uri("http://127.0.0.1:1/");
        await using var portico = await PorticoTestHost.StartAsync(PorticoTestHost.BaseConfig(
            PorticoTestHost.AnonymousProxy("down", deadEngine) with { AdditionalResponseHeaders = "X-Custom: down-vp" }));
        using var client = portico.CreateClient();

        var response = await client.GetAsync("/down/portico-demo/echo");
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable, $"status {response.StatusCode}");
        using var json = System.Text.Json.JsonDocument.Parse(body);
        Assert.Equal("engine_unavailable", json.RootElement.GetProperty("error").GetString());
        Assert.Contains("'down'", json.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("down-vp", Single(response, "X-Custom"));
    }

    private static string Single(HttpResponseMessage response, string name)
    {
        Assert.True(response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values), $"missing {name}");
        return Assert.Single(values!);
    }
}
