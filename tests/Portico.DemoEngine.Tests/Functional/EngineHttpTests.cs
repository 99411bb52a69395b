using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Portico.DemoEngine.Tests.Functional;

public sealed class EngineHttpTests : IAsyncLifetime
{
    private DemoEngineServer _server = null!;

    public async Task InitializeAsync() => _server = await DemoEngineServer.StartAsync(new DemoEngineOptions { NodeName = "engine-http" });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public void StartAsync_PortZero_ReportsBoundAddress()
    {
        Assert.Equal("127.0.0.1", _server.BaseAddress.Host);
        Assert.NotEqual(0, _server.BaseAddress.Port);
        Assert.EndsWith("/", _server.BaseAddress.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal("engine-http", _server.NodeName);
    }

    [Fact]
    public async Task StartAsync_NonHttpUrl_Throws()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => DemoEngineServer.StartAsync(new DemoEngineOptions { Url = "https://127.0.0.1:0" }));
    }

    [Fact]
    public async Task HealthCheck_Get_ReturnsQlikShapedJson()
    {
        using var http = new HttpClient { BaseAddress = _server.BaseAddress };
        using var response = await http.GetAsync(new Uri("healthcheck", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("12.2000.0", health.GetProperty("version").GetString());
        Assert.Equal("engine-http", health.GetProperty("nodeName").GetString());
        Assert.False(health.GetProperty("saturated").GetBoolean());
        Assert.True(DateTimeOffset.TryParse(health.GetProperty("started").GetString(), CultureInfo.InvariantCulture, out _));
        Assert.Equal(0, health.GetProperty("session").GetProperty("active").GetInt32());
        Assert.Equal(JsonValueKind.Number, health.GetProperty("mem").GetProperty("allocated").ValueKind);
        Assert.Equal(JsonValueKind.Number, health.GetProperty("cpu").GetProperty("total").ValueKind);
        Assert.Equal(JsonValueKind.Array, health.GetProperty("apps").GetProperty("active_docs").ValueKind);
        Assert.Equal(JsonValueKind.Number, health.GetProperty("users").GetProperty("active").ValueKind);
    }

    [Fact]
    public async Task HealthCheck_WithOpenSession_CountsSessionUserAndDoc()
    {
        await using var server = await DemoEngineServer.StartAsync(new DemoEngineOptions());
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        await using var client = await EngineSocketClient.ConnectAsync(server, "app/Sales%20Demo.qvf");
        await client.ReceiveAsync();

        var health = JsonDocument.Parse(await http.GetStringAsync(new Uri("healthcheck", UriKind.Relative))).RootElement;

        Assert.Equal(1, health.GetProperty("session").GetProperty("active").GetInt32());
        Assert.Equal(1, health.GetProperty("session").GetProperty("total").GetInt32());
        Assert.Equal(1, health.GetProperty("users").GetProperty("active").GetInt32());
        Assert.Equal(["Sales Demo.qvf"], health.GetProperty("apps").GetProperty("active_docs").EnumerateArray().Select(d => d.GetString()));
    }

    [Fact]
    public async Task HealthCheck_Post_Returns405()
    {
        using var http = new HttpClient { BaseAddress = _server.BaseAddress };
        using var response = await http.PostAsync(new Uri("healthcheck", UriKind.Relative), new StringContent(string.Empty));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task Echo_GetWithQueryAndHeaders_EchoesWhatArrived()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("portico-demo/echo/deep/path?a=1&b=x%20y", UriKind.Relative));
        request.Headers.Add("X-Qlik-User", Users.AliceHeader);
        request.Headers.Add("X-Multi", ["one", "two"]);

        using var http = new HttpClient { BaseAddress = _server.BaseAddress };
        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echo = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("engine-http", echo.GetProperty("nodeName").GetString());
        Assert.Equal("GET", echo.GetProperty("method").GetString());
        Assert.Equal("/portico-demo/echo/deep/path", echo.GetProperty("path").GetString());
        Assert.Equal("?a=1&b=x%20y", echo.GetProperty("query").GetString());
        Assert.Equal(Users.AliceHeader, echo.GetProperty("headers").GetProperty("x-qlik-user").GetString());
        Assert.Equal("one, two", echo.GetProperty("headers").GetProperty("x-multi").GetString());
    }

    [Fact]
    public async Task Echo_PostWithBody_EchoesBody()
    {
        using var content = new StringContent("{\"hello\":\"engine\"}", Encoding.UTF8, "application/json");

        using var http = new HttpClient { BaseAddress = _server.BaseAddress };
        using var response = await http.PostAsync(new Uri("portico-demo/echo", UriKind.Relative), content);

        var echo = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("POST", echo.GetProperty("method").GetString());
        Assert.Equal("{\"hello\":\"engine\"}", echo.GetProperty("body").GetString());
        Assert.Equal(18, echo.GetProperty("bodyLength").GetInt32());
    }

    [Theory]
    [InlineData("nothing-here", HttpStatusCode.NotFound)]
    [InlineData("portico-demo", HttpStatusCode.NotFound)]
    [InlineData("app/engineData", HttpStatusCode.BadRequest)]
    public async Task Get_NonEndpointOrPlainHttpOnSocketPath_ReturnsError(string path, HttpStatusCode expected)
    {
        using var http = new HttpClient { BaseAddress = _server.BaseAddress };
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task ObservedRequests_AfterRequest_RecordsItWithLowerCasedHeaders()
    {
        await using var server = await DemoEngineServer.StartAsync(new DemoEngineOptions());
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("portico-demo/echo?q=1", UriKind.Relative));
        request.Headers.Add("X-Forwarded-For", "10.1.2.3");

        using var response = await http.SendAsync(request);

        var observed = Assert.Single(server.ObservedRequests);
        Assert.Equal("GET", observed.Method);
        Assert.Equal("/portico-demo/echo", observed.Path);
        Assert.Equal("?q=1", observed.QueryString);
        Assert.False(observed.IsWebSocket);
        Assert.Equal("10.1.2.3", observed.Headers["x-forwarded-for"]);
        Assert.All(observed.Headers.Keys, name => Assert.Equal(name.ToLowerInvariant(), name));
    }
}
