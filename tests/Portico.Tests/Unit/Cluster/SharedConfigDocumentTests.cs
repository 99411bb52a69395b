using System.Text.Json.Nodes;
using Portico.Cluster;
using Portico.Operations;

namespace Portico.Tests.Unit.Cluster;

public sealed class SharedConfigDocumentTests
{
    private static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();

    [Fact]
    public void Extract_TakesOnlyTheVirtualProxies_WhateverTheKeysSpelling()
    {
        var shared = SharedConfigDocument.Extract(Json("""{"listeners":{"https":{"port":443}},"VirtualProxies":[{"prefix":"a"}],"cluster":{"nodeName":"n1"}}"""));

        Assert.Equal("""{"virtualProxies":[{"prefix":"a"}]}""", shared.ToJsonString());
    }

    [Fact]
    public void Extract_AFileWithoutVirtualProxies_SharesAnEmptyList() =>
        Assert.Equal("""{"virtualProxies":[]}""", SharedConfigDocument.Extract(Json("""{"dataDirectory":"data"}""")).ToJsonString());

    [Fact]
    public void Compose_PutsTheClustersVirtualProxiesInPlaceOfTheFiles_AndLeavesEveryNodeSectionAlone()
    {
        var node = Json("""{"listeners":{"https":{"port":8443}},"VirtualProxies":[{"prefix":"mine"}],"dataDirectory":"data-1","cluster":{"nodeName":"n1"}}""");

        var composed = SharedConfigDocument.Compose(node, Json("""{"virtualProxies":[{"prefix":"shared"}]}"""));

        Assert.Equal("""{"listeners":{"https":{"port":8443}},"VirtualProxies":[{"prefix":"shared"}],"dataDirectory":"data-1","cluster":{"nodeName":"n1"}}""", composed.ToJsonString());
        Assert.Equal("mine", node["VirtualProxies"]![0]!["prefix"]!.GetValue<string>());
    }

    [Fact]
    public void Compose_AFileWithoutVirtualProxies_GetsTheClusters() =>
        Assert.Equal("""{"dataDirectory":"d","virtualProxies":[{"prefix":"s"}]}""",
            SharedConfigDocument.Compose(Json("""{"dataDirectory":"d"}"""), Json("""{"virtualProxies":[{"prefix":"s"}]}""")).ToJsonString());

    [Theory]
    [InlineData("""{"virtualProxies":[{"prefix":"a"}]}""", false)]
    [InlineData("""{"virtualProxies":[{"prefix":"b"}]}""", true)]
    [InlineData("""{"virtualProxies":[]}""", true)]
    [InlineData("""{"dataDirectory":"d"}""", false)]
    public void FileDiffers_OnlyWhenTheFileWritesOtherVirtualProxies(string file, bool differs) =>
        Assert.Equal(differs, SharedConfigDocument.FileDiffers(Json(file), Json("""{"virtualProxies":[{"prefix":"a"}]}""")));

    [Fact]
    public void ContentHash_CarriesTheFileHashAndTheClusterVersion()
    {
        var hash = SharedConfigDocument.ContentHash("ABCDEF", 42);

        Assert.Equal(42, SharedConfigDocument.SharedVersionOf(hash));
        Assert.Equal("ABCDEF", SharedConfigDocument.FileHashOf(hash));
        Assert.NotEqual(hash, SharedConfigDocument.ContentHash("ABCDEF", 43));
        Assert.NotEqual(hash, SharedConfigDocument.ContentHash("ABCDEE", 42));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0123456789ABCDEF")]
    [InlineData(":7")]
    [InlineData("ABC:-1")]
    [InlineData("ABC:x")]
    public void SharedVersionOf_AnythingButACompositeHash_IsZeroAndHasNoFileHash(string? hash)
    {
        Assert.Equal(0, SharedConfigDocument.SharedVersionOf(hash));
        Assert.Null(SharedConfigDocument.FileHashOf(hash));
    }
}

public sealed class SharedConfigFollowerTests
{
    [Theory]
    [InlineData(5, 5, null, false)]
    [InlineData(4, 5, null, false)]
    [InlineData(6, 5, null, true)]
    [InlineData(6, 5, 6L, false)]
    [InlineData(7, 5, 6L, true)]
    [InlineData(0, 5, null, true)]
    public void NeedsRead_ANewerVersionNotRefusedHere_OrAMissingRow(long stored, long running, long? rejected, bool expected) =>
        Assert.Equal(expected, SharedConfigFollower.NeedsRead(stored, running, rejected));
}

public sealed class ReadinessConfigurationCheckTests
{
    [Fact]
    public void Evaluate_AClusterVersionThisNodeCannotApply_FailsTheConfigurationCheckWithTheReason()
    {
        var report = ReadinessCheck.Evaluate(new ReadinessInput(4, true, false, [], DatabaseReachable: true, ConfigurationProblem: "cluster configuration version 9 cannot be applied on this node: x"));

        Assert.False(report.Ready);
        Assert.Equal(["configuration"], report.Failed);
        Assert.Contains("version 9", report.Checks.Single(c => c.Name == "configuration").Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_NoProblem_TheConfigurationCheckPasses() =>
        Assert.True(ReadinessCheck.Evaluate(new ReadinessInput(4, true, false, [], DatabaseReachable: true)).Ready);
}

public sealed class SharedConfigStoredTests
{
    [Theory]
    [InlineData("[]")]
    [InlineData("5")]
    [InlineData("not json")]
    public void ParseStored_AnythingButAnObject_IsNull(string stored) =>
        Assert.Null(SharedConfigDocument.ParseStored(stored));

    [Fact]
    public void ParseStored_AnObject_IsIt() =>
        Assert.Equal("""{"virtualProxies":[]}""", SharedConfigDocument.ParseStored("""{"virtualProxies":[]}""")!.ToJsonString());
}

public sealed class ConfigReloaderClusterVersionTests
{
    private static readonly Portico.Configuration.PorticoConfig Running = new()
    {
        DataDirectory = "data",
        VirtualProxies = [new Portico.Configuration.VirtualProxyConfig { Prefix = "", LoadBalancingServerNodes = ["http://127.0.0.1:4747"] }],
    };

    private static Portico.Configuration.ConfigLoadResult Version(long sharedVersion, string description) =>
        Portico.Configuration.ConfigLoadResult.Succeeded(Running with { VirtualProxies = [Running.VirtualProxies[0] with { Description = description }] }, Path.GetTempPath())
            with { ContentHash = SharedConfigDocument.ContentHash("FILE", sharedVersion) };

    [Fact]
    public void Apply_AnOlderClusterVersionThanTheOneRunning_IsNeverPutBack()
    {
        var store = new Portico.Configuration.ConfigSnapshotStore(Portico.Configuration.ConfigSnapshot.Create(Running, Path.GetTempPath(), 1, SharedConfigDocument.ContentHash("FILE", 4)));
        var reloader = new Portico.Configuration.ConfigReloader(store, new Portico.Audit.AuditLog(enabled: false, TimeProvider.System),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<Portico.Configuration.ConfigReloader>.Instance);

        var older = reloader.Apply(Version(3, "older"));
        var newer = reloader.Apply(Version(5, "newer"));
        var composedNothing = reloader.Apply(() => null);

        Assert.Same(Portico.Configuration.ConfigReloadOutcome.Unchanged, older);
        Assert.True(newer.Applied);
        Assert.Same(Portico.Configuration.ConfigReloadOutcome.Unchanged, composedNothing);
        Assert.Equal("newer", store.Current.Config.VirtualProxies[0].Description);
        Assert.Equal(5, SharedConfigDocument.SharedVersionOf(store.Current.ContentHash));
    }
}
