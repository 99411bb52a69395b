using System.Net;
using System.Net.Http.Headers;
using Portico.DemoEngine.Landing;
using Portico.DemoEngine.Tests.Functional;

namespace Portico.DemoEngine.Tests.Landing;

/// <summary>
/// The engine's landing page at <c>/</c>: only a plain GET or HEAD that accepts HTML gets it, every
/// value is escaped, and the root's WebSocket (the global context) is untouched.
/// </summary>
public sealed class LandingPageTests : IAsyncLifetime
{
    private static readonly LandingPageContent Content = new()
    {
        PublicBaseUrl = "https://proxy.test:8443",
        CaPath = "/srv/portico/data/portico-dev-ca.pem",
        VirtualProxies =
        [
            new LandingVirtualProxy("", "Default <script>alert(1)</script> & \"friends\"", "anonymous"),
            new LandingVirtualProxy("sales", "Sales mashups", "Jwt"),
        ],
    };

    private DemoEngineServer _server = null!;

    public async Task InitializeAsync() => _server = await DemoEngineServer.StartAsync(new DemoEngineOptions { NodeName = "landing-node", LandingPage = () => Content });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")]
    [InlineData("*/*")]
    public async Task Get_RootAcceptingHtml_IsThePlainLandingPage(string accept)
    {
        using var http = new HttpClient { BaseAddress = _server.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/", UriKind.Relative));
        request.Headers.TryAddWithoutValidation("Accept", accept);

        using var response = await http.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("landing-node", html, StringComparison.Ordinal);
        Assert.Contains("Sales Demo.qvf", html, StringComparison.Ordinal);
        Assert.Contains("<code>https://proxy.test:8443/sales/</code>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/sales/qps/user\">", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/portico-demo/echo\">", html, StringComparison.Ordinal);
        Assert.Contains("wss://proxy.test:8443/app/engineData", html, StringComparison.Ordinal);
        Assert.Contains("/srv/portico/data/portico-dev-ca.pem", html, StringComparison.Ordinal);
        Assert.Contains("Default &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;friends&quot;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Head_RootAcceptingHtml_HasTheHeadersWithoutABody()
    {
        using var http = new HttpClient { BaseAddress = _server.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Head, new Uri("/", UriKind.Relative));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Content.Headers.ContentLength > 0);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("GET", "application/json", "/")]
    [InlineData("GET", "text/html;q=0", "/")]
    [InlineData("GET", null, "/")]
    [InlineData("POST", "text/html", "/")]
    [InlineData("GET", "text/html", "/hub")]
    public async Task Request_NotAPlainHtmlGetOfTheRoot_StaysA404(string method, string? accept, string path)
    {
        using var http = new HttpClient { BaseAddress = _server.BaseAddress };
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Get_RootOnAnEngineWithoutLandingContent_StaysA404()
    {
        await using var plain = await DemoEngineServer.StartAsync(new DemoEngineOptions());
        using var http = new HttpClient { BaseAddress = plain.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/", UriKind.Relative));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task WebSocket_AtTheRoot_IsStillTheGlobalContext()
    {
        await using var client = await EngineSocketClient.ConnectAsync(_server, "");

        var connected = await client.ReceiveAsync();
        var docs = await client.RequestAsync("""{"jsonrpc":"2.0","id":1,"method":"GetDocList","handle":-1,"params":[]}""");

        Assert.Equal("OnConnected", connected!.Value.GetProperty("method").GetString());
        Assert.True(docs.GetProperty("result").GetProperty("qDocList").GetArrayLength() > 0);
    }
}
