using Portico.DemoEngine;
using Portico.Tests.Support;

namespace Portico.Tests.Functional;

/// <summary>An engine node's health is logged when it changes, not at every probe (the test config probes every second).</summary>
public sealed class EngineHealthLogTests
{
    private const int Down = 8101;
    private const int BackUp = 8102;
    private const int Up = 8103;
    private const int ProbeFailed = 8104;

    [Fact]
    public async Task NodeDownForSeveralProbes_LogsOneDownLine_ThenOneUpAgainLineWhenItIsBack()
    {
        var engine = await DemoEngineServer.StartAsync(new DemoEngineOptions { NodeName = "flaky" });
        var address = engine.BaseAddress.ToString().TrimEnd('/');
        await using var portico = await PorticoTestHost.StartAsync(PorticoTestHost.BaseConfig(
            PorticoTestHost.AnonymousProxy("flaky", engine.BaseAddress),
            PorticoTestHost.AnonymousProxy("steady", engine.BaseAddress)));
        var logs = portico.Logs;
        await Eventually.TrueAsync(() => Count(logs, Up, "flaky") == 1, TimeSpan.FromSeconds(15), "the node to be reported up");

        await engine.DisposeAsync();

        await Eventually.TrueAsync(() => Count(logs, Down, "flaky") == 1, TimeSpan.FromSeconds(15), "the node to be reported down");
        var failedProbesAtDown = Count(logs, ProbeFailed, "flaky");
        await Eventually.TrueAsync(() => Count(logs, ProbeFailed, "flaky") >= failedProbesAtDown + 3, TimeSpan.FromSeconds(15),
            "three more failed probes while the node stays down");
        var down = Assert.Single(logs.Lines, l => l.EventId == Down && l.Message.Contains("'flaky'", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, down.Level);
        Assert.Contains($"Engine node node-1 ({address}) of virtual proxy 'flaky' is down: ", down.Message, StringComparison.Ordinal);
        Assert.Null(down.Exception);

        await using var restarted = await DemoEngineServer.StartAsync(new DemoEngineOptions { NodeName = "flaky", Url = address });

        await Eventually.TrueAsync(() => Count(logs, BackUp, "flaky") == 1, TimeSpan.FromSeconds(15), "the node to be reported up again");
        await Eventually.TrueAsync(() => restarted.ObservedRequests.Count(r => r.Path == "/healthcheck") >= 6, TimeSpan.FromSeconds(15),
            "more probes of the node that is back (two virtual proxies probe it)");
        var backUp = Assert.Single(logs.Lines, l => l.EventId == BackUp && l.Message.Contains("'flaky'", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Information, backUp.Level);
        Assert.Equal($"Engine node node-1 ({address}) of virtual proxy 'flaky' is up again.", backUp.Message);
        Assert.Equal(1, Count(logs, Down, "flaky"));
        Assert.Equal(1, Count(logs, Up, "flaky"));

        // Each virtual proxy probes its nodes: the other one saw the same, once each.
        Assert.Equal(1, Count(logs, Down, "steady"));
        Assert.Equal(1, Count(logs, BackUp, "steady"));

        // Nothing else at warning level, and no stack trace anywhere (YARP's per-probe warnings are filtered out).
        Assert.Equal(2, logs.Lines.Count(l => l.Level >= LogLevel.Warning));
        Assert.DoesNotContain(logs.Lines, l => l.Exception is not null);
    }

    private static int Count(TestLogSink logs, int eventId, string virtualProxy) =>
        logs.Lines.Count(l => l.EventId == eventId && l.Message.Contains($"'{virtualProxy}'", StringComparison.Ordinal));
}
