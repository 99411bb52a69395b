using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Portico.Authentication;
using Portico.Configuration;
using Portico.Operations;
using Portico.Tests.Support;

namespace Portico.Tests.Functional.Operations;

/// <summary>One Portico with an ops listener, shared by the tests of <see cref="OpsListenerTests"/>.</summary>
public sealed class OpsListenerFixture : IAsyncLifetime
{
    /// <summary>Anonymous: each request without a cookie is a login. Only the traffic test uses it.</summary>
    public const string Metered = "opsmetrics";

    /// <summary>Ticket only: a wrong ticket is a rejected login and an authentication refusal.</summary>
    public const string Ticket = "opsticket";

    public OpsHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await OpsHost.StartAsync(engine =>
    [
        PorticoTestHost.AnonymousProxy("", engine),
        PorticoTestHost.AnonymousProxy(Metered, engine),
        PorticoTestHost.AnonymousProxy(Ticket, engine) with { AnonymousAccessMode = AnonymousAccessMode.NoAnonymousUser },
    ]);

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>docs/operations.md: what the ops listener answers, and that the public listeners do not.</summary>
public sealed class OpsListenerTests(OpsListenerFixture fixture) : IClassFixture<OpsListenerFixture>
{
    private OpsHost Host => fixture.Host;

    [Fact]
    public async Task Healthz_OnOpsListener_Is200Alive()
    {
        using var response = await Host.Ops.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.Equal("""{"status":"alive"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Readyz_WithHealthyEngines_Is200AndNamesEveryCheck()
    {
        var body = await Host.WaitForReadinessAsync(HttpStatusCode.OK, "every virtual proxy to have a healthy engine node");

        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        Assert.Equal("ready", root.GetProperty("status").GetString());
        Assert.Empty(root.GetProperty("failed").EnumerateArray());
        var checks = root.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!);
        Assert.Equal(
            ["configuration", "listeners", "draining", "engines:(default)", "engines:" + OpsListenerFixture.Metered, "engines:" + OpsListenerFixture.Ticket],
            checks.Keys);
        Assert.All(checks.Values, c => Assert.True(c.GetProperty("ok").GetBoolean()));
        var node = Assert.Single(checks["engines:" + OpsListenerFixture.Metered].GetProperty("nodes").EnumerateArray());
        Assert.Equal("node-1", node.GetProperty("node").GetString());
        Assert.Equal(Host.Engine.BaseAddress.ToString().TrimEnd('/'), node.GetProperty("address").GetString());
        Assert.Equal("healthy", node.GetProperty("health").GetString());
    }

    [Fact]
    public async Task Metrics_OnOpsListener_IsPrometheusTextWithPorticosInstruments()
    {
        var address = Host.Engine.BaseAddress.ToString().TrimEnd('/');
        var body = "";
        HttpResponseMessage? response = null;

        // Polled: the engine's first probe may not have run yet, and the exporter caches a scrape briefly.
        await Eventually.TrueAsync(async () =>
        {
            response?.Dispose();
            response = await Host.Ops.GetAsync("/metrics");
            body = await response.Content.ReadAsStringAsync();
            return PrometheusText.Value(PrometheusText.Parse(body), "portico_engine_node_healthy",
                ("virtual_proxy", OpsListenerFixture.Ticket), ("node", "node-1"), ("address", address)) == 1;
        }, TimeSpan.FromSeconds(10), "the engine node to be reported healthy");

        using (response)
        {
            Assert.Equal(HttpStatusCode.OK, response!.StatusCode);
            Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Contains("# TYPE portico_sessions_live gauge", body, StringComparison.Ordinal);
        Assert.Contains("# TYPE portico_websockets_open gauge", body, StringComparison.Ordinal);
        Assert.Contains("# TYPE portico_engine_node_healthy gauge", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    [InlineData("/metrics")]
    public async Task OpsEndpoints_Head_AnswerWithoutABody(string path)
    {
        await Host.WaitForReadinessAsync(HttpStatusCode.OK, "the engine nodes to be probed healthy");

        using var response = await Host.Ops.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/metricsx")]
    [InlineData("/opsmetrics/healthz")]
    public async Task OpsListener_OtherPaths_Are404(string path)
    {
        var (status, body) = await Host.GetOpsAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("/healthz, /readyz and /metrics", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpsListener_Post_Is405()
    {
        using var response = await Host.Ops.PostAsync("/readyz", new StringContent(""));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("GET, HEAD", string.Join(", ", response.Content.Headers.Allow));
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    [InlineData("/metrics")]
    public async Task PublicHttpsListener_OpsPaths_AreForwardedToTheEngine(string path)
    {
        using var client = Host.Portico.CreateClient();
        var marker = Guid.NewGuid().ToString("n");

        using var response = await client.GetAsync(path + "?marker=" + marker);

        Assert.DoesNotContain("portico_", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(Host.Engine.ObservedRequests, r => r.Path == path && r.QueryString.Contains(marker, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/metrics")]
    public async Task PublicHttpListener_OpsPaths_AreRedirectedToHttps(string path)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

        using var response = await client.GetAsync($"http://127.0.0.1:{Host.Portico.HttpPort}{path}");

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal($"https://localhost:{Host.Portico.HttpsPort}{path}", response.Headers.Location?.ToString());
    }

    [Fact]
    public async Task Metrics_AfterKnownTraffic_CountLoginsRefusalsAndRequestDurations()
    {
        const string metered = OpsListenerFixture.Metered;
        const string ticket = OpsListenerFixture.Ticket;
        using var client = Host.Portico.CreateClient();

        // Three anonymous logins: each request without a cookie makes a session.
        string? cookie = null;
        for (var i = 0; i < 3; i++)
        {
            using var page = await client.GetAsync($"/{metered}/portico-demo/echo/login{i}");
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            cookie = page.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        }

        // Two CSRF refusals: a cross-site POST on the session cookie without the token.
        for (var i = 0; i < 2; i++)
        {
            using var post = new HttpRequestMessage(HttpMethod.Post, $"/{metered}/portico-demo/echo/csrf{i}") { Content = new StringContent("x") };
            post.Headers.Add("Cookie", cookie);
            post.Headers.Add("Sec-Fetch-Site", "cross-site");
            using var refused = await client.SendAsync(post);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        // One rejected ticket, which is also an authentication refusal.
        using (var rejected = await client.GetAsync($"/{ticket}/hub?qlikTicket=not-a-ticket"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);
        }

        IReadOnlyList<PrometheusSample> samples = [];
        await Eventually.TrueAsync(async () =>
        {
            // The exporter caches a scrape briefly, so a fresh one may lag the last request.
            samples = await Host.ScrapeAsync();
            return PrometheusText.Value(samples, "portico_request_duration_seconds_count", ("virtual_proxy", metered)) == 5
                && PrometheusText.Value(samples, "portico_refusals_total", ("virtual_proxy", ticket), ("reason", "authentication")) == 1;
        }, TimeSpan.FromSeconds(10), "the scrape to show the traffic");

        Assert.Equal(3, PrometheusText.Value(samples, "portico_logins_total", ("virtual_proxy", metered), ("method", "anonymous"), ("outcome", "succeeded")));
        Assert.Equal(2, PrometheusText.Value(samples, "portico_refusals_total", ("virtual_proxy", metered), ("reason", "csrf")));
        Assert.Null(PrometheusText.Value(samples, "portico_refusals_total", ("virtual_proxy", metered), ("reason", "authentication")));
        Assert.Equal(1, PrometheusText.Value(samples, "portico_logins_total", ("virtual_proxy", ticket), ("method", "ticket"), ("outcome", "rejected")));
        Assert.Null(PrometheusText.Value(samples, "portico_logins_total", ("virtual_proxy", ticket), ("method", "ticket"), ("outcome", "succeeded")));
        Assert.Equal(5, PrometheusText.Value(samples, "portico_request_duration_seconds_bucket", ("virtual_proxy", metered), ("le", "+Inf")));
        Assert.True(PrometheusText.Value(samples, "portico_request_duration_seconds_sum", ("virtual_proxy", metered)) > 0);

        // Bounded tags: nothing of the user, the path or the client reaches a label.
        Assert.DoesNotContain(samples, s => s.Labels.Values.Any(v => v.Contains("echo", StringComparison.Ordinal) || v.Contains("not-a-ticket", StringComparison.Ordinal)));
    }

    [Fact]
    public void PerRequestMetricCalls_WithTheExporterListening_AllocateNothing()
    {
        // Not a configured virtual proxy: these samples stay apart from the traffic test's.
        const string virtualProxy = "opsalloc";
        var metrics = Host.Portico.Services.GetRequiredService<PorticoMetrics>();
        Assert.True(metrics.MeasuresRequests, "the exporter should listen to Portico's meter");
        void RecordOneRequest()
        {
            metrics.Login(virtualProxy, CredentialKind.Bearer, LoginOutcome.Succeeded);
            metrics.Refused(virtualProxy, RefusalReason.Csrf);
            metrics.RequestCompleted(virtualProxy, Stopwatch.GetTimestamp());
        }

        // The first sample of a tag set creates its series.
        RecordOneRequest();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            RecordOneRequest();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
