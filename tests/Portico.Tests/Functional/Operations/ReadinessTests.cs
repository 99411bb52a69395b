using System.Net;
using System.Text.Json;
using Portico.Operations;
using Portico.Tests.Support;

namespace Portico.Tests.Functional.Operations;

/// <summary>/readyz follows the engines' health and the draining flag (docs/operations.md).</summary>
public sealed class ReadinessTests
{
    private const string Steady = "opsready";
    private const string Flaky = "opsflaky";

    [Fact]
    public async Task Readyz_EngineDownThenBackThenDraining_Is503NamingTheVirtualProxyThen200Then503()
    {
        await using var host = await OpsHost.StartAsync(engine =>
        [
            PorticoTestHost.AnonymousProxy(Steady, engine),
            PorticoTestHost.AnonymousProxy(Flaky, engine),
        ]);
        await host.WaitForReadinessAsync(HttpStatusCode.OK, "the engine node to be probed healthy");

        await host.StopEngineAsync();
        var down = await host.WaitForReadinessAsync(HttpStatusCode.ServiceUnavailable, "readiness to notice the engine is down for both virtual proxies",
            until: body => Failed(body).Count == 2);

        using (var json = JsonDocument.Parse(down))
        {
            var root = json.RootElement;
            Assert.Equal("not_ready", root.GetProperty("status").GetString());
            Assert.Equal(["engines:" + Steady, "engines:" + Flaky], root.GetProperty("failed").EnumerateArray().Select(f => f.GetString()));
            var check = root.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "engines:" + Flaky);
            Assert.False(check.GetProperty("ok").GetBoolean());
            Assert.Equal(Flaky, check.GetProperty("virtualProxy").GetString());
            Assert.Equal("0 of 1 engine nodes healthy", check.GetProperty("detail").GetString());
            Assert.Equal("unhealthy", check.GetProperty("nodes")[0].GetProperty("health").GetString());
        }

        await host.RestartEngineAsync();
        await host.WaitForReadinessAsync(HttpStatusCode.OK, "readiness to notice the engine is back");

        host.Portico.Services.GetRequiredService<Readiness>().MarkDraining();

        // At once: no probe has to run for a draining node to leave the load balancer.
        var (status, draining) = await host.GetOpsAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        using var drainingJson = JsonDocument.Parse(draining);
        Assert.Equal(["draining"], drainingJson.RootElement.GetProperty("failed").EnumerateArray().Select(f => f.GetString()));
        var (healthStatus, _) = await host.GetOpsAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, healthStatus);
    }

    private static List<string?> Failed(string body)
    {
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("failed").EnumerateArray().Select(f => f.GetString()).ToList();
    }
}
