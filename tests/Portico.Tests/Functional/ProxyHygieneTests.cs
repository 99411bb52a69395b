using System.Text.Json;
using Portico.DemoEngine;
using Portico.Tests.Support;

namespace Portico.Tests.Functional;

/// <summary>docs/security.md "Proxy hygiene": what reaches the engine, and which engine it reaches.</summary>
public sealed class ProxyHygieneTests : IAsyncLifetime
{
    private DemoEngineServer _defaultEngine = null!;
    private DemoEngineServer _salesEngine = null!;
    private DemoEngineServer _hrEngine = null!;
    private PorticoTestHost _portico = null!;

    public async Task InitializeAsync()
    {
        _defaultEngine = await DemoEngineServer.StartAsync(new DemoEngineOptions { NodeName = "default-engine" });
        _salesEngine = await DemoEngineServer.StartAsync(new DemoEngineOptions { NodeName = "sales-engine" });
        _hrEngine = await DemoEngineServer.StartAsync(new DemoEngineOptions { NodeName = "hr-engine" });
        _portico = await PorticoTestHost.StartAsync(PorticoTestHost.BaseConfig(
            PorticoTestHost.AnonymousProxy("", _defaultEngine.BaseAddress),
            PorticoTestHost.AnonymousProxy("sales", _salesEngine.BaseAddress),
            PorticoTestHost.AnonymousProxy("hr", _hrEngine.BaseAddress)));
    }

    public async Task DisposeAsync()
    {
        await _portico.DisposeAsync();
        await _defaultEngine.DisposeAsync();
        await _salesEngine.DisposeAsync();
        await _hrEngine.DisposeAsync();
    }

    [Fact]
    public async Task SpoofedIdentityHeaders_InAnySpelling_NeverReachTheEngine()
    {
        var response = await RawHttp.SendAsync(_portico.HttpsPort, """
            GET /sales/portico-demo/echo HTTP/1.1
            Host: localhost
            X-Qlik-User: UserDirectory=CORP; UserId=admin
            x-qlik-user: UserDirectory=CORP; UserId=admin2
            x_qlik_user: UserDirectory=CORP; UserId=admin3
            X_QLIK_USER: UserDirectory=CORP; UserId=admin4
            X-Qlik-Security: Context=ManagementAccess
            X-Qlik-ProxySession: 0000
            x_qlik_proxysession: 1111
            """, _portico.CaPath);

        Assert.Equal(200, response.Status);
        var headers = EchoedHeaders(response.Body);
        Assert.StartsWith("UserDirectory=ANONYMOUS; UserId=anon-", headers["x-qlik-user"], StringComparison.Ordinal);
        Assert.DoesNotContain("admin", headers["x-qlik-user"], StringComparison.Ordinal);
        Assert.Equal("SecureRequest=true; Context=AppAccess;", headers["x-qlik-security"]);
        Assert.Matches("^[0-9a-f]{32}$", headers["x-qlik-proxysession"]);
        Assert.DoesNotContain(headers.Keys, k => k.Contains('_', StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("h2c")]
    [InlineData("spdy/3.1")]
    [InlineData("TLS/1.2")]
    public async Task UpgradeToAnotherProtocolThanWebSocket_IsRefusedAndNeverReachesTheEngine(string protocol)
    {
        // The echo endpoint answers 200 to anything that reaches it; Portico's own refusal names itself.
        var response = await RawHttp.SendAsync(_portico.HttpsPort, $"""
            GET /sales/portico-demo/echo HTTP/1.1
            Host: localhost
            Connection: Upgrade
            Upgrade: {protocol}
            """, _portico.CaPath);

        Assert.Equal(400, response.Status);
        Assert.Contains("upgrade_not_supported", response.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/sales/app/engineData", "websocket")]
    [InlineData("/sales/portico-demo/echo", "websocket")]
    [InlineData("/sales/portico-demo/echo", "h2c")]
    public async Task Http10Upgrade_IsRefusedWith400AndNeverReachesTheEngine(string path, string protocol)
    {
        var response = await RawHttp.SendAsync(_portico.HttpsPort, $"""
            GET {path} HTTP/1.0
            Host: localhost
            Connection: Upgrade
            Upgrade: {protocol}
            Sec-WebSocket-Version: 13
            Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==
            """, _portico.CaPath);

        Assert.Equal(400, response.Status);
        Assert.Contains("upgrade_needs_http11", response.Body, StringComparison.Ordinal);
        Assert.Contains("HTTP/1.1", response.Body, StringComparison.Ordinal);
        Assert.Null(response.Header("Upgrade"));
        Assert.Equal(0, _salesEngine.TotalSockets);
        Assert.DoesNotContain(_salesEngine.ObservedRequests, r => !r.Path.StartsWith("/healthcheck", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Http10RequestWithoutUpgrade_IsStillForwarded()
    {
        var response = await RawHttp.SendAsync(_portico.HttpsPort, "GET /sales/portico-demo/echo HTTP/1.0\nHost: localhost\n", _portico.CaPath);

        Assert.Equal(200, response.Status);
        Assert.Contains("sales-engine", response.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectionHeaderNamingIdentity_ProxyIdentityStillReachesEngine()
    {
        var response = await RawHttp.SendAsync(_portico.HttpsPort, """
            GET /sales/portico-demo/echo HTTP/1.1
            Host: localhost
            Connection: close, X-Qlik-User, X-Qlik-Security
            X-Qlik-User: UserDirectory=CORP; UserId=admin
            """, _portico.CaPath);

        Assert.Equal(200, response.Status);
        var headers = EchoedHeaders(response.Body);
        Assert.StartsWith("UserDirectory=ANONYMOUS; UserId=anon-", headers["x-qlik-user"], StringComparison.Ordinal);
        Assert.True(headers.ContainsKey("x-qlik-security"));
    }

    [Fact]
    public async Task ClientForwardedHeaders_AreOverwrittenByPortico()
    {
        var response = await RawHttp.SendAsync(_portico.HttpsPort, """
            GET /sales/portico-demo/echo HTTP/1.1
            Host: localhost
            X-Forwarded-For: 6.6.6.6
            X-Forwarded-Host: evil.example
            X-Forwarded-Proto: http
            """, _portico.CaPath);

        Assert.Equal(200, response.Status);
        var headers = EchoedHeaders(response.Body);
        Assert.Equal("127.0.0.1", headers["x-forwarded-for"]);
        Assert.Equal("https", headers["x-forwarded-proto"]);
        Assert.DoesNotContain("evil", headers["x-forwarded-host"], StringComparison.Ordinal);
        Assert.Equal("/sales", headers["x-forwarded-prefix"]);
    }

    [Fact]
    public async Task PrefixIsRemoved_EngineSeesThePathBelowIt()
    {
        using var client = _portico.CreateClient();

        var body = await client.GetStringAsync("/sales/portico-demo/echo/a/b?x=1");

        using var json = JsonDocument.Parse(body);
        Assert.Equal("sales-engine", json.RootElement.GetProperty("nodeName").GetString());
        Assert.Equal("/portico-demo/echo/a/b", json.RootElement.GetProperty("path").GetString());
    }

    [Theory]
    [InlineData("/sales/../hr/portico-demo/echo", "hr-engine", "/portico-demo/echo")]
    [InlineData("/sales/%2e%2e/hr/portico-demo/echo", "hr-engine", "/portico-demo/echo")]
    [InlineData("/sales/%2E%2E/hr/portico-demo/echo", "hr-engine", "/portico-demo/echo")]
    [InlineData("//sales//portico-demo/echo", "sales-engine", "/portico-demo/echo")]
    [InlineData("/salesevil/portico-demo/echo", "default-engine", "/salesevil/portico-demo/echo")]
    [InlineData("/sales", "sales-engine", "/")]
    [InlineData("/SALES/portico-demo/echo", "sales-engine", "/portico-demo/echo")]
    [InlineData("/sales/./portico-demo/echo", "sales-engine", "/portico-demo/echo")]
    public async Task TrickyPaths_OneNormalizedPathDecidesVirtualProxyAndForwardedPath(string rawPath, string expectedEngine, string expectedPath)
    {
        await RawHttp.SendAsync(_portico.HttpsPort, $"GET {rawPath} HTTP/1.1\nHost: localhost\n", _portico.CaPath);

        var engines = new[] { _defaultEngine, _salesEngine, _hrEngine };
        var reached = engines.Where(e => e.ObservedRequests.Any(r => !r.Path.StartsWith("/healthcheck", StringComparison.Ordinal))).ToList();
        var engine = Assert.Single(reached);
        Assert.Equal(expectedEngine, engine.NodeName);
        Assert.Equal(expectedPath, Assert.Single(engine.ObservedRequests, r => !r.Path.StartsWith("/healthcheck", StringComparison.Ordinal)).Path);
    }

    [Theory]
    [InlineData("/sales%2F..%2Fhr/portico-demo/echo")]
    [InlineData("/sales/..%2fhr/portico-demo/echo")]
    [InlineData("/sales/%5c../hr/portico-demo/echo")]
    [InlineData("/sales/../../hr/portico-demo/echo")]
    [InlineData("/sales/%01/portico-demo/echo")]
    public async Task AmbiguousPaths_AreRefusedAndReachNoEngine(string rawPath)
    {
        var response = await RawHttp.SendAsync(_portico.HttpsPort, $"GET {rawPath} HTTP/1.1\nHost: localhost\n", _portico.CaPath);

        Assert.Equal(400, response.Status);
        Assert.Contains("invalid_path", response.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(_defaultEngine.ObservedRequests, r => !r.Path.StartsWith("/healthcheck", StringComparison.Ordinal));
        Assert.DoesNotContain(_salesEngine.ObservedRequests, r => !r.Path.StartsWith("/healthcheck", StringComparison.Ordinal));
        Assert.DoesNotContain(_hrEngine.ObservedRequests, r => !r.Path.StartsWith("/healthcheck", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EncodedNul_IsRefusedAndReachesNoEngine()
    {
        var response = await RawHttp.SendAsync(_portico.HttpsPort, "GET /sales/%00/portico-demo/echo HTTP/1.1\nHost: localhost\n", _portico.CaPath);

        // Kestrel itself refuses an encoded NUL before Portico sees the request.
        Assert.Equal(400, response.Status);
        Assert.DoesNotContain(_salesEngine.ObservedRequests, r => r.Path.Contains("portico-demo", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OversizedHeaders_KestrelLimitsStayOn()
    {
        var huge = new string('a', 64 * 1024);
        var response = await RawHttp.SendAsync(_portico.HttpsPort, $"GET /sales/portico-demo/echo HTTP/1.1\nHost: localhost\nX-Big: {huge}\n", _portico.CaPath);

        Assert.Equal(431, response.Status);
    }

    /// <summary>The request headers the demo engine's echo page says it received: lower-case names.</summary>
    internal static Dictionary<string, string> EchoedHeaders(string body)
    {
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("headers").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.OrdinalIgnoreCase);
    }
}
