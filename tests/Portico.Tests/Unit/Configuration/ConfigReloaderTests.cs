using Microsoft.Extensions.Logging.Abstractions;
using Portico.Configuration;

namespace Portico.Tests.Unit.Configuration;

public sealed class ConfigReloaderTests
{
    private static readonly PorticoConfig Running = new()
    {
        PublicHost = "qlik.example.com",
        DataDirectory = "data",
        VirtualProxies = [new VirtualProxyConfig { Prefix = "", LoadBalancingServerNodes = ["http://127.0.0.1:4747"] }],
    };

    [Fact]
    public void RestartOnlyChanges_SameValuesInNewInstances_ListsNothing()
    {
        var next = Running with
        {
            Listeners = new ListenersConfig(),
            Hsts = new HstsConfig(),
            DemoEngine = new DemoEngineConfig(),
        };

        Assert.Empty(ConfigReloader.RestartOnlyChanges(Running, next));
    }

    [Fact]
    public void RestartOnlyChanges_ListenerPortChanged_ListsListeners()
    {
        var next = Running with
        {
            Listeners = new ListenersConfig { Https = new ListenerConfig { Address = "localhost", Port = 9443 } },
        };

        Assert.Equal(["listeners"], ConfigReloader.RestartOnlyChanges(Running, next));
    }

    [Fact]
    public void RestartOnlyChanges_HttpListenerTurnedOff_ListsListeners()
    {
        var next = Running with { Listeners = new ListenersConfig { Http = null } };

        Assert.Equal(["listeners"], ConfigReloader.RestartOnlyChanges(Running, next));
    }

    [Fact]
    public void RestartOnlyChanges_CertificateAdded_ListsCertificate()
    {
        var next = Running with { Certificate = new CertificateConfig { CertificatePath = "a.pem", KeyPath = "a.key" } };

        Assert.Equal(["certificate"], ConfigReloader.RestartOnlyChanges(Running, next));
    }

    [Fact]
    public void RestartOnlyChanges_DataDirectoryChanged_ListsDataDirectory()
    {
        var next = Running with { DataDirectory = "other-data" };

        Assert.Equal(["dataDirectory"], ConfigReloader.RestartOnlyChanges(Running, next));
    }

    [Fact]
    public void RestartOnlyChanges_DemoEngineChanged_ListsDemoEngine()
    {
        var next = Running with { DemoEngine = new DemoEngineConfig { Enabled = true } };

        Assert.Equal(["demoEngine"], ConfigReloader.RestartOnlyChanges(Running, next));
    }

    [Fact]
    public void RestartOnlyChanges_AllRestartFieldsChanged_ListsEachOnce()
    {
        var next = Running with
        {
            Listeners = new ListenersConfig { QpsApi = null },
            Certificate = new CertificateConfig { CertificatePath = "a.pem", KeyPath = "a.key" },
            DataDirectory = "other-data",
            DemoEngine = new DemoEngineConfig { Url = "http://127.0.0.1:4848" },
        };

        Assert.Equal(["listeners", "certificate", "dataDirectory", "demoEngine"], ConfigReloader.RestartOnlyChanges(Running, next));
    }

    [Fact]
    public void RestartOnlyChanges_HotReloadableFieldsChanged_ListsNothing()
    {
        var next = Running with
        {
            PublicHost = "bi.example.com:9443",
            Hsts = new HstsConfig { MaxAgeSeconds = 60 },
            LoadBalancing = new LoadBalancingConfig { HealthCheckIntervalSeconds = 30 },
            VirtualProxies =
            [
                new VirtualProxyConfig { Prefix = "", LoadBalancingServerNodes = ["http://127.0.0.1:4747"] },
                new VirtualProxyConfig { Prefix = "sales", SessionCookieHeaderName = "X-Qlik-Session-sales", LoadBalancingServerNodes = ["http://127.0.0.1:4748"] },
            ],
        };

        Assert.Empty(ConfigReloader.RestartOnlyChanges(Running, next));
    }

    [Fact]
    public void RestartOnlyChanges_SameFileParsedTwice_ListsNothing()
    {
        var json = """
            {
              "listeners": { "https": { "address": "*", "port": 9443 }, "http": null },
              "certificate": { "certificatePath": "a.pem", "keyPath": "a.key" },
              "virtualProxies": [ { "prefix": "", "loadBalancingServerNodes": [ "http://127.0.0.1:4747" ] } ]
            }
            """;
        var first = System.Text.Json.JsonSerializer.Deserialize<PorticoConfig>(json, ConfigJson.Options)!;
        var second = System.Text.Json.JsonSerializer.Deserialize<PorticoConfig>(json, ConfigJson.Options)!;

        Assert.Empty(ConfigReloader.RestartOnlyChanges(first, second));
    }

    [Fact]
    public void Apply_InvalidConfig_KeepsTheActiveSnapshotAndReturnsItsErrors()
    {
        var store = new ConfigSnapshotStore(ConfigSnapshot.Create(Running, Path.GetTempPath(), 1));
        var reloader = new ConfigReloader(store, new Portico.Audit.AuditLog(enabled: false, TimeProvider.System), NullLogger<ConfigReloader>.Instance);
        var before = store.Current;

        var outcome = reloader.Apply(ConfigLoader.Parse("""{ "virtualProxies": [ { "prefix": "Sales", "loadBalancingServerNodes": [] } ] }""", Path.GetTempPath()));

        Assert.False(outcome.Applied);
        Assert.Contains(outcome.Errors, e => e.Path == "virtualProxies[0].prefix");
        Assert.Contains(outcome.Errors, e => e.Path == "virtualProxies[0].loadBalancingServerNodes");
        Assert.Same(before, store.Current);
        Assert.Equal(1, store.Current.Version);
    }

    [Fact]
    public void Apply_ValidConfigWithRestartOnlyChanges_SwapsTheRestButKeepsRunningValues()
    {
        var store = new ConfigSnapshotStore(ConfigSnapshot.Create(Running, Path.GetTempPath(), 1));
        var reloader = new ConfigReloader(store, new Portico.Audit.AuditLog(enabled: false, TimeProvider.System), NullLogger<ConfigReloader>.Instance);

        var outcome = reloader.Apply(ConfigLoader.Parse(
            """
            {
              "publicHost": "bi.example.com",
              "listeners": { "https": { "address": "*", "port": 9443 } },
              "dataDirectory": "elsewhere",
              "virtualProxies": [
                { "prefix": "", "loadBalancingServerNodes": [ "http://127.0.0.1:4747" ] },
                { "prefix": "sales", "sessionCookieHeaderName": "X-Qlik-Session-sales", "loadBalancingServerNodes": [ "http://127.0.0.1:4748" ] }
              ]
            }
            """,
            Path.GetTempPath()));

        Assert.True(outcome.Applied, ConfigAssert.Describe(outcome.Errors));
        Assert.Equal(["listeners", "dataDirectory"], outcome.NeedRestart);
        var current = store.Current;
        Assert.Equal(2, current.Version);
        Assert.Equal("bi.example.com", current.Config.PublicHost);
        Assert.Equal(2, current.VirtualProxies.All.Count);
        Assert.Equal(Running.Listeners, current.Config.Listeners);
        Assert.Equal("data", current.Config.DataDirectory);
    }
}
