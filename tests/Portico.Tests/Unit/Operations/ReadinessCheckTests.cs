using Portico.Operations;
using Yarp.ReverseProxy.Model;

namespace Portico.Tests.Unit.Operations;

public sealed class ReadinessCheckTests
{
    private static VirtualProxyEngines Proxy(string name, params EngineNodeHealth[] nodes) =>
        new(name, nodes.Select((health, i) => new EngineNodeState("node-" + (i + 1), "http://engine" + (i + 1) + ":4747", health)).ToList());

    private static ReadinessInput Input(bool listenersBound = true, bool draining = false, params VirtualProxyEngines[] proxies) =>
        new(ConfigurationVersion: 3, listenersBound, draining, proxies);

    [Fact]
    public void Evaluate_EverythingHealthy_IsReadyWithEveryCheckNamed()
    {
        var report = ReadinessCheck.Evaluate(Input(proxies: [Proxy("(default)", EngineNodeHealth.Healthy), Proxy("sales", EngineNodeHealth.Unhealthy, EngineNodeHealth.Healthy)]));

        Assert.True(report.Ready);
        Assert.Equal("ready", report.Status);
        Assert.Empty(report.Failed);
        Assert.Equal(["configuration", "listeners", "draining", "engines:(default)", "engines:sales"], report.Checks.Select(c => c.Name));
        Assert.Equal("version 3 is active", report.Checks[0].Detail);
        Assert.Equal("1 of 2 engine nodes healthy", report.Checks[4].Detail);
    }

    [Fact]
    public void Evaluate_OneVirtualProxyWithoutAHealthyNode_FailsThatCheckOnly()
    {
        var report = ReadinessCheck.Evaluate(Input(proxies: [Proxy("(default)", EngineNodeHealth.Healthy), Proxy("sales", EngineNodeHealth.Unhealthy, EngineNodeHealth.Unknown)]));

        Assert.False(report.Ready);
        Assert.Equal("not_ready", report.Status);
        Assert.Equal(["engines:sales"], report.Failed);
        var sales = report.Checks.Single(c => c.Name == "engines:sales");
        Assert.Equal("sales", sales.VirtualProxy);
        Assert.Equal(["unhealthy", "unknown"], sales.Nodes!.Select(n => n.Health));
    }

    [Fact]
    public void Evaluate_NodesNotProbedYet_IsNotReady()
    {
        var report = ReadinessCheck.Evaluate(Input(proxies: [Proxy("(default)", EngineNodeHealth.Unknown)]));

        Assert.Equal(["engines:(default)"], report.Failed);
    }

    [Fact]
    public void Evaluate_VirtualProxyWithoutACluster_IsNotReady()
    {
        var report = ReadinessCheck.Evaluate(Input(proxies: [Proxy("new")]));

        Assert.Equal(["engines:new"], report.Failed);
        Assert.Equal("no engine node is configured for forwarding yet", report.Checks.Single(c => c.Name == "engines:new").Detail);
    }

    [Fact]
    public void Evaluate_DrainingAndUnboundListeners_ReportsBothFailures()
    {
        var report = ReadinessCheck.Evaluate(Input(listenersBound: false, draining: true, Proxy("(default)", EngineNodeHealth.Healthy)));

        Assert.Equal(["listeners", "draining"], report.Failed);
    }

    [Theory]
    [InlineData(DestinationHealth.Healthy, DestinationHealth.Unknown, "healthy")]
    [InlineData(DestinationHealth.Healthy, DestinationHealth.Healthy, "healthy")]
    [InlineData(DestinationHealth.Healthy, DestinationHealth.Unhealthy, "unhealthy")]
    [InlineData(DestinationHealth.Unhealthy, DestinationHealth.Unknown, "unhealthy")]
    [InlineData(DestinationHealth.Unhealthy, DestinationHealth.Healthy, "unhealthy")]
    [InlineData(DestinationHealth.Unknown, DestinationHealth.Unknown, "unknown")]
    [InlineData(DestinationHealth.Unknown, DestinationHealth.Healthy, "unknown")]
    public void HealthOf_ActiveAndPassiveVerdicts_CombineFailClosed(DestinationHealth active, DestinationHealth passive, string expected) =>
        Assert.Equal(expected, ReadinessCheck.HealthName(EngineNodeState.HealthOf(active, passive)));
}

public sealed class ReadinessDatabaseCheckTests
{
    [Fact]
    public void Evaluate_ClusterDatabaseUnreachable_FailsTheDatabaseCheck()
    {
        var report = ReadinessCheck.Evaluate(new ReadinessInput(1, true, false, [], DatabaseReachable: false));

        Assert.False(report.Ready);
        Assert.Equal(["database"], report.Failed);
        Assert.Contains("cannot be reached", report.Checks.Single(c => c.Name == "database").Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_WithoutCluster_HasNoDatabaseCheck() =>
        Assert.DoesNotContain(ReadinessCheck.Evaluate(new ReadinessInput(1, true, false, [])).Checks, c => c.Name == "database");
}
