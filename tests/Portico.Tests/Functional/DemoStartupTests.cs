using System.Net;
using Portico.Configuration;
using Portico.Tests.Support;
using Portico.TestSupport;

namespace Portico.Tests.Functional;

/// <summary>
/// The built-in demo, in-process, on ports of its own (the real demo's fixed ports may be taken by
/// another run): its first start must log nothing an admin would have to look into.
/// </summary>
public sealed class DemoStartupTests
{
    private const int EngineUp = 8103;
    private const int ProbeFailed = 8104;

    [Fact]
    public async Task DemoConfiguration_StartsAndPassesItsFirstProbeRound_WithoutAnyWarning()
    {
        var demo = DemoConfig.Load(Path.GetTempPath()).Config!;
        var engine = "http://127.0.0.1:" + FreePorts.Loopback();
        var config = demo with
        {
            Listeners = new ListenersConfig
            {
                Https = new ListenerConfig { Address = "127.0.0.1", Port = 0 },
                Http = new ListenerConfig { Address = "127.0.0.1", Port = 0 },
                QpsApi = new ListenerConfig { Address = "127.0.0.1", Port = 0 },
            },
            DemoEngine = demo.DemoEngine with { Url = engine },
            VirtualProxies = [.. demo.VirtualProxies.Select(vp => vp with { LoadBalancingServerNodes = [engine] })],
        };
        Assert.True(demo.DemoEngine.Enabled);
        Assert.Equal(4, config.VirtualProxies.Count);

        await using var portico = await PorticoTestHost.StartAsync(config);

        // The first probe round reports each virtual proxy's node up; none of its probes failed,
        // because the demo engine was listening before the first one.
        await Eventually.TrueAsync(() => portico.Logs.Lines.Count(l => l.EventId == EngineUp) == config.VirtualProxies.Count,
            TimeSpan.FromSeconds(15), "the first probe round to find every node up");
        Assert.DoesNotContain(portico.Logs.Lines, l => l.EventId == ProbeFailed);
        var problems = portico.Logs.Lines.Where(l => l.Level >= LogLevel.Warning).Select(l => $"{l.Category} [{l.EventId}] {l.Message}");
        Assert.Empty(problems);
        using var client = portico.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthcheck")).StatusCode);
    }
}
