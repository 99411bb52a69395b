using Portico.Configuration;
using Portico.Tests.Unit.Configuration;

namespace Portico.Tests.Unit.Cluster;

public sealed class ClusterRulesTests
{
    private static IReadOnlyList<ConfigError> Validate(ClusterModeConfig? cluster) =>
        new ConfigValidator(ConfigAssert.NonExistentBaseDirectory()).Validate(new PorticoConfig { Cluster = cluster });

    private static ClusterModeConfig Valid => new() { NodeName = "portico-1", Postgres = "Host=db.example.com;Database=portico;Username=portico" };

    [Fact]
    public void NoCluster_IsValid()
    {
        ConfigAssert.HasNoErrorAt(Validate(null), "cluster.postgres");
        ConfigAssert.HasNoErrorAt(Validate(null), "cluster.nodeName");
    }

    [Fact]
    public void AValidCluster_HasNoErrors()
    {
        var errors = Validate(Valid);
        Assert.DoesNotContain(errors, e => e.Path.StartsWith("cluster", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("")]
    [InlineData("two words")]
    [InlineData("name/with/slashes")]
    public void NodeName_Missing_OrMalformed_IsAnErrorWithAnExample(string name) =>
        ConfigAssert.HasError(Validate(Valid with { NodeName = name }), "cluster.nodeName", "\"portico-1\"");

    [Fact]
    public void Postgres_Missing_SaysWhatToWrite() =>
        ConfigAssert.HasError(Validate(Valid with { Postgres = "" }), "cluster.postgres", "Host=db.example.com;Database=portico");

    [Fact]
    public void Postgres_UnknownKeyword_IsNamed() =>
        ConfigAssert.HasError(Validate(Valid with { Postgres = "Host=db;Database=portico;Colour=blue" }), "cluster.postgres", "is not a valid Npgsql connection string");

    [Fact]
    public void Postgres_WithoutHostOrDatabase_NamesWhatIsMissing()
    {
        ConfigAssert.HasError(Validate(Valid with { Postgres = "Database=portico" }), "cluster.postgres", "names no Host");
        ConfigAssert.HasError(Validate(Valid with { Postgres = "Host=db" }), "cluster.postgres", "names no Database");
    }

    [Fact]
    public void Postgres_ErrorNeverRepeatsThePassword()
    {
        var errors = Validate(Valid with { Postgres = "Host=db;Password=hunter2-secret;Colour=blue" });
        Assert.DoesNotContain(errors, e => e.Message.Contains("hunter2-secret", StringComparison.Ordinal));
    }

    [Fact]
    public void Timings_OutOfRange_AreErrors()
    {
        ConfigAssert.HasError(Validate(Valid with { DatabaseGraceSeconds = -1 }), "cluster.databaseGraceSeconds", "between 0");
        ConfigAssert.HasError(Validate(Valid with { ActivityFlushSeconds = 0 }), "cluster.activityFlushSeconds", "between 1 and 60");
        ConfigAssert.HasError(Validate(Valid with { ChangePollSeconds = 61 }), "cluster.changePollSeconds", "between 1 and 60");
    }

    [Fact]
    public void ClusterSection_ReadFromJson_WithItsFieldNames()
    {
        var directory = Directory.CreateTempSubdirectory("portico-cluster-config-");
        try
        {
            var path = Path.Combine(directory.FullName, "portico.json");
            File.WriteAllText(path, """
                { "virtualProxies": [ { "prefix": "", "loadBalancingServerNodes": ["http://127.0.0.1:4747"] } ],
                  "cluster": { "nodeName": "portico-2", "postgres": "Host=127.0.0.1;Database=portico;Username=portico", "databaseGraceSeconds": 120 } }
                """);
            var loaded = ConfigLoader.LoadFile(path);
            ConfigAssert.IsValid(loaded);
            Assert.Equal("portico-2", loaded.Config!.Cluster!.NodeName);
            Assert.Equal(120, loaded.Config.Cluster.DatabaseGraceSeconds);
            Assert.Equal(2, loaded.Config.Cluster.ActivityFlushSeconds);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}

public sealed class SessionHashesTests
{
    [Fact]
    public void Handles_AreNeverWellFormedSessionIds_AndMapBackToTheirHash()
    {
        var id = Portico.Sessions.SessionIds.New();
        var hash = Portico.Cluster.SessionHashes.OfSession(id);
        var handle = Portico.Cluster.SessionHashes.Handle(hash);

        Assert.False(Portico.Sessions.SessionIds.IsWellFormed(handle));
        Assert.Equal(hash, Portico.Cluster.SessionHashes.OfIdOrHandle(handle));
        Assert.Equal(hash, Portico.Cluster.SessionHashes.OfIdOrHandle(id));
        Assert.Null(Portico.Cluster.SessionHashes.OfIdOrHandle("#not-hex"));
        Assert.NotEqual(Portico.Cluster.SessionHashes.OfSession(id), Portico.Cluster.SessionHashes.OfTicket(id));
    }
}
