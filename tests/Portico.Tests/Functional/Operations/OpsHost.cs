using System.Net;
using Portico.Configuration;
using Portico.DemoEngine;
using Portico.Listeners;
using Portico.Tests.Support;

namespace Portico.Tests.Functional.Operations;

/// <summary>
/// A real Portico with its ops listener on 127.0.0.1 (a port the OS picks), in front of one demo
/// engine. Virtual proxy prefixes start with "ops" so metric samples are told apart from those of
/// other Portico instances in the test process (they share the meter's name).
/// </summary>
public sealed class OpsHost : IAsyncDisposable
{
    private OpsHost(PorticoTestHost portico, DemoEngineServer engine)
    {
        Portico = portico;
        Engine = engine;
        var opsPort = portico.Services.GetRequiredService<BoundListeners>().OpsPort
            ?? throw new InvalidOperationException("The ops listener is not bound.");
        Ops = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{opsPort}/") };
    }

    public PorticoTestHost Portico { get; }

    public DemoEngineServer Engine { get; private set; }

    private bool _engineStopped;

    /// <summary>A plain-HTTP client of the ops listener.</summary>
    public HttpClient Ops { get; }

    public static async Task<OpsHost> StartAsync(Func<Uri, VirtualProxyConfig[]> virtualProxies)
    {
        var engine = await DemoEngineServer.StartAsync(new DemoEngineOptions { NodeName = "ops" });
        var config = PorticoTestHost.BaseConfig(virtualProxies(engine.BaseAddress));
        config = config with { Listeners = config.Listeners with { Ops = new ListenerConfig { Address = "127.0.0.1", Port = 0 } } };
        return new OpsHost(await PorticoTestHost.StartAsync(config), engine);
    }

    public async Task<(HttpStatusCode Status, string Body)> GetOpsAsync(string path)
    {
        using var response = await Ops.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<IReadOnlyList<PrometheusSample>> ScrapeAsync()
    {
        var (status, body) = await GetOpsAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, status);
        return PrometheusText.Parse(body);
    }

    /// <summary>Waits until /readyz answers <paramref name="status"/> (engine probes run every second in tests) and returns its body.</summary>
    /// <param name="until">A further condition on the body: each virtual proxy's cluster probes the engine on its own schedule.</param>
    public async Task<string> WaitForReadinessAsync(HttpStatusCode status, string what, Func<string, bool>? until = null)
    {
        var body = "";
        await Eventually.TrueAsync(async () =>
        {
            (var current, body) = await GetOpsAsync("/readyz");
            return current == status && (until is null || until(body));
        }, TimeSpan.FromSeconds(20), what);
        return body;
    }

    public async Task StopEngineAsync()
    {
        _engineStopped = true;
        await Engine.DisposeAsync();
    }

    /// <summary>Starts an engine at the address of the one that was stopped.</summary>
    public async Task RestartEngineAsync()
    {
        Engine = await DemoEngineServer.StartAsync(new DemoEngineOptions { NodeName = "ops", Url = Engine.BaseAddress.ToString().TrimEnd('/') });
        _engineStopped = false;
    }

    public async ValueTask DisposeAsync()
    {
        Ops.Dispose();
        await Portico.DisposeAsync();
        if (!_engineStopped)
        {
            await Engine.DisposeAsync();
        }
    }
}
