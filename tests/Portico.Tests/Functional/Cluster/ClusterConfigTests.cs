using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Npgsql;
using Portico.Tests.Functional.Admin;
using Portico.Tests.Support;
using Xunit.Abstractions;

namespace Portico.Tests.Functional.Cluster;

/// <summary>
/// docs/cluster.md, "Configuration": in cluster mode the virtual proxies live in PostgreSQL. A change
/// made through one node's admin API serves on the other within a second, a stale write on one node
/// after a write on another is refused, the first nodes seed the database once, an open WebSocket
/// survives changes to other virtual proxies, a version a node cannot apply is reported while the
/// node keeps serving the previous one, and a hand edit of a node's virtual proxies is ignored.
/// </summary>
public sealed class ClusterConfigTests(ClusterConfigFixture cluster, ITestOutputHelper output) : IClassFixture<ClusterConfigFixture>
{
    private static readonly TimeSpan Propagation = TimeSpan.FromSeconds(1);

    private static string NewPrefix(string what) => what + Guid.NewGuid().ToString("n")[..6];

    [Fact]
    public async Task TwoNodesStartingAtOnce_OnAnEmptyDatabase_SeedItOnce_AndBothServeTheSeedersVirtualProxies()
    {
        Assert.Equal(1, cluster.Seed.Rows);
        Assert.Equal(1, cluster.Seed.Version);
        var (seeder, other, seederPrefix, otherPrefix) = cluster.Seed.ModifiedBy.StartsWith("node-a", StringComparison.Ordinal)
            ? (cluster.A, cluster.B, "froma", "fromb")
            : (cluster.B, cluster.A, "fromb", "froma");
        Assert.EndsWith("(seeded from its file)", cluster.Seed.ModifiedBy, StringComparison.Ordinal);

        foreach (var node in new[] { cluster.A, cluster.B })
        {
            Assert.Equal(HttpStatusCode.OK, await ClusterConfigFixture.EchoStatusAsync(node, seederPrefix));
            Assert.False(ClusterConfigFixture.Serves(node, otherPrefix), $"a node serves {otherPrefix}, which only the node that did not seed has in its file");
        }

        Assert.Contains(seeder.Logs.Lines, l => l.EventId == 12020);
        Assert.DoesNotContain(other.Logs.Lines, l => l.EventId == 12020);
        // The node that did not seed says its file's virtual proxies are ignored.
        Assert.Contains(other.Logs.Lines, l => l.EventId == 12021 && l.Level == LogLevel.Warning && l.Message.Contains(other.ConfigPath, StringComparison.Ordinal));
    }

    [Fact]
    public async Task VirtualProxyCreatedThroughA_ServesOnBWithinOneSecond()
    {
        var prefix = NewPrefix("created");
        var clock = Stopwatch.StartNew();
        await cluster.CreateAsync(cluster.A, prefix);
        var created = clock.Elapsed;

        await Eventually.TrueAsync(() => ClusterConfigFixture.Serves(cluster.B, prefix), TimeSpan.FromSeconds(5), $"node B to serve {prefix}");
        var propagated = clock.Elapsed - created;

        output.WriteLine($"node B applied the change {propagated.TotalMilliseconds:F0} ms after node A answered the POST ({clock.Elapsed.TotalMilliseconds:F0} ms after it was sent)");
        Assert.True(propagated <= Propagation, $"node B applied the change {propagated.TotalMilliseconds:F0} ms after node A answered");
        Assert.Equal(HttpStatusCode.OK, await ClusterConfigFixture.EchoStatusAsync(cluster.B, prefix));
        // A QIX client through node B reaches the engine on the new virtual proxy.
        await using var socket = await QixSocket.ConnectAsync(new Uri($"wss://localhost:{cluster.B.HttpsPort}/{prefix}/app/engineData"), cluster.B.CaPath);
        await socket.WaitForNotificationAsync("OnConnected");
        var user = await socket.CallAsync("GetAuthenticatedUser");
        Assert.StartsWith("UserDirectory=ANONYMOUS", user.GetProperty("result").GetProperty("qReturn").GetString(), StringComparison.Ordinal);

        // B's admin API lists it too: every node reads the same configuration.
        using var apiB = ClusterConfigFixture.Admin(cluster.B);
        var listed = (await AdminFixture.JsonAsync(await apiB.SendAsync(HttpMethod.Get, "qrs/virtualproxyconfig?filter=" + Uri.EscapeDataString($"prefix eq '{prefix}'")))).AsArray();
        Assert.Single(listed);
    }

    [Fact]
    public async Task StalePutOnB_AfterAWriteOnA_Is409WithTheCurrentEntity()
    {
        var created = await cluster.CreateAsync(cluster.A, NewPrefix("stale"));
        var id = AdminFixture.Text(created["id"]);
        var readDate = AdminFixture.Text(created["modifiedDate"]);
        using var apiA = ClusterConfigFixture.Admin(cluster.A);
        using var apiB = ClusterConfigFixture.Admin(cluster.B);

        using var onA = await apiA.SendAsync(HttpMethod.Put, $"qrs/virtualproxyconfig/{id}",
            new JsonObject { ["modifiedDate"] = readDate, ["description"] = "written on A" }.ToJsonString());
        using var onB = await apiB.SendAsync(HttpMethod.Put, $"qrs/virtualproxyconfig/{id}",
            new JsonObject { ["modifiedDate"] = readDate, ["description"] = "written on B" }.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, onA.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, onB.StatusCode);
        Assert.Equal("written on A", AdminFixture.Text((await AdminFixture.JsonAsync(onB))["description"]));
        await Eventually.TrueAsync(() => cluster.B.Snapshots.Current.Config.VirtualProxies.Any(vp => vp.Description == "written on A"), TimeSpan.FromSeconds(5), "node B to apply A's write");
    }

    [Fact]
    public async Task ConcurrentPutsOnAAndB_WithTheSameVersion_OneWinsTheOtherIs409()
    {
        var created = await cluster.CreateAsync(cluster.A, NewPrefix("race"));
        var id = AdminFixture.Text(created["id"]);
        using var apiA = ClusterConfigFixture.Admin(cluster.A);
        using var apiB = ClusterConfigFixture.Admin(cluster.B);

        for (var round = 0; round < 3; round++)
        {
            using var read = await apiA.SendAsync(HttpMethod.Get, $"qrs/virtualproxyconfig/{id}");
            var date = AdminFixture.Text((await AdminFixture.JsonAsync(read))["modifiedDate"]);
            var answers = await Task.WhenAll(
                apiA.SendAsync(HttpMethod.Put, $"qrs/virtualproxyconfig/{id}", new JsonObject { ["modifiedDate"] = date, ["description"] = $"A {round}" }.ToJsonString()),
                apiB.SendAsync(HttpMethod.Put, $"qrs/virtualproxyconfig/{id}", new JsonObject { ["modifiedDate"] = date, ["description"] = $"B {round}" }.ToJsonString()));

            // The loser read either after the winner's commit (stale modifiedDate) or before it (the
            // row's version moved under its write): 409 both ways, and nothing of it is stored.
            Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
            Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Conflict);
            foreach (var answer in answers)
            {
                answer.Dispose();
            }
        }
    }

    [Fact]
    public async Task WebSocketOnB_StaysOpen_ThroughChangesOnAToAnotherVirtualProxy()
    {
        await using var socket = await QixSocket.ConnectAsync(new Uri($"wss://localhost:{cluster.B.HttpsPort}/keep/app/engineData"), cluster.B.CaPath);
        await socket.WaitForNotificationAsync("OnConnected");
        var prefix = NewPrefix("other");
        var before = cluster.B.Snapshots.Current.Version;

        var created = await cluster.CreateAsync(cluster.A, prefix);
        using var apiA = ClusterConfigFixture.Admin(cluster.A);
        using (var updated = await apiA.SendAsync(HttpMethod.Put, $"qrs/virtualproxyconfig/{AdminFixture.Text(created["id"])}",
            new JsonObject { ["modifiedDate"] = created["modifiedDate"]!.DeepClone(), ["description"] = "changed while B holds a socket" }.ToJsonString()))
        {
            Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        }

        using (var deleted = await apiA.SendAsync(HttpMethod.Delete, $"qrs/virtualproxyconfig/{AdminFixture.Text(created["id"])}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        await Eventually.TrueAsync(() => !ClusterConfigFixture.Serves(cluster.B, prefix) && cluster.B.Snapshots.Current.Version > before + 1, TimeSpan.FromSeconds(5), "node B to apply the changes");
        var user = await socket.CallAsync("GetAuthenticatedUser");
        Assert.StartsWith("UserDirectory=ANONYMOUS", user.GetProperty("result").GetProperty("qReturn").GetString(), StringComparison.Ordinal);
        Assert.Equal(System.Net.WebSockets.WebSocketState.Open, socket.State);
    }

    [Fact]
    public async Task AVersionBCannotApply_IsReportedByItsLogAndReadiness_AndBKeepsServingThePreviousOne()
    {
        // A file only node A has: B resolves the same relative path in its own folder and finds nothing.
        await File.WriteAllTextAsync(Path.Combine(cluster.A.Directory, "engine-root.pem"), await File.ReadAllTextAsync(cluster.A.CaPath));
        var prefix = NewPrefix("partial");
        var created = await cluster.CreateAsync(cluster.A, prefix);
        var id = AdminFixture.Text(created["id"]);
        await Eventually.TrueAsync(() => ClusterConfigFixture.Serves(cluster.B, prefix), TimeSpan.FromSeconds(5), $"node B to serve {prefix}");
        var runningOnB = cluster.B.Snapshots.Current.Version;
        using var apiA = ClusterConfigFixture.Admin(cluster.A);
        try
        {
            using var update = await apiA.SendAsync(HttpMethod.Put, $"qrs/virtualproxyconfig/{id}", new JsonObject
            {
                ["modifiedDate"] = created["modifiedDate"]!.DeepClone(),
                ["loadBalancingServerNodes"] = new JsonArray("https://127.0.0.1:9"),
                ["engineConnection"] = new JsonObject { ["trustedRootPath"] = "engine-root.pem" },
            }.ToJsonString());
            Assert.True(update.StatusCode == HttpStatusCode.OK, await update.Content.ReadAsStringAsync());

            await Eventually.TrueAsync(() => cluster.B.Logs.Lines.Any(l => l.EventId == 12023), TimeSpan.FromSeconds(5), "node B to report the version it cannot apply");
            var error = cluster.B.Logs.Lines.Last(l => l.EventId == 12023);
            Assert.Equal(LogLevel.Error, error.Level);
            Assert.Contains("engineConnection.trustedRootPath", error.Message, StringComparison.Ordinal);
            var (status, body) = await ClusterConfigFixture.ReadyAsync(cluster.B);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Contains("configuration", body["failed"]!.AsArray().Select(f => AdminFixture.Text(f)));
            Assert.Equal(runningOnB, cluster.B.Snapshots.Current.Version);
            Assert.Equal(HttpStatusCode.OK, await ClusterConfigFixture.EchoStatusAsync(cluster.B, prefix));
        }
        finally
        {
            // Put back: a version B can apply ends the report (and leaves the class's other tests a cluster every node runs).
            using var read = await apiA.SendAsync(HttpMethod.Get, $"qrs/virtualproxyconfig/{id}");
            using var delete = await apiA.SendAsync(HttpMethod.Delete, $"qrs/virtualproxyconfig/{id}");
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }

        await Eventually.TrueAsync(() => !ClusterConfigFixture.Serves(cluster.B, prefix), TimeSpan.FromSeconds(5), "node B to apply the next version");
        var (readyStatus, readyBody) = await ClusterConfigFixture.ReadyAsync(cluster.B);
        Assert.DoesNotContain("configuration", readyBody["failed"]!.AsArray().Select(f => AdminFixture.Text(f)));
    }

    [Fact]
    public async Task HandEditOfANodesVirtualProxies_IsIgnoredWithAWarning_TheRestOfItsFileApplies()
    {
        var file = JsonNode.Parse(await File.ReadAllTextAsync(cluster.B.ConfigPath))!;
        var prefix = NewPrefix("byhand");
        file["virtualProxies"]!.AsArray().Add(new JsonObject
        {
            ["prefix"] = prefix,
            ["sessionCookieHeaderName"] = $"X-Qlik-Session-{prefix}",
            ["anonymousAccessMode"] = "AlwaysAnonymous",
            ["loadBalancingServerNodes"] = new JsonArray(cluster.EngineUrl),
        });
        file["sessions"] = new JsonObject { ["maxLiveSessions"] = 12345 };
        var before = cluster.B.Snapshots.Current.Version;
        var warnings = cluster.B.Logs.Lines.Count(l => l.EventId == 12021);

        await File.WriteAllTextAsync(cluster.B.ConfigPath, file.ToJsonString());

        await Eventually.TrueAsync(() => cluster.B.Snapshots.Current.Version > before, TimeSpan.FromSeconds(15), "the hand edit to be applied");
        Assert.Equal(12345, cluster.B.Snapshots.Current.Config.Sessions.MaxLiveSessions);
        Assert.False(ClusterConfigFixture.Serves(cluster.B, prefix));
        Assert.True(cluster.B.Logs.Lines.Count(l => l.EventId == 12021) > warnings, "no warning that the file's virtual proxies are ignored");
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        await using var read = new NpgsqlCommand("SELECT shared::text FROM portico_config", connection);
        Assert.DoesNotContain(prefix, (string)(await read.ExecuteScalarAsync())!, StringComparison.Ordinal);
    }
}

/// <summary>A node whose file is valid but cannot run the cluster's virtual proxies does not start, and says why.</summary>
public sealed class ClusterConfigStartTests
{
    [Fact]
    public async Task StoredVirtualProxiesThisNodeCannotRun_RefuseTheStart_NamingTheField()
    {
        var connectionString = await (await PostgresServer.Shared).CreateDatabaseAsync("configstart");
        await using (var dataSource = NpgsqlDataSource.Create(connectionString))
        {
            await Portico.Cluster.ClusterSchema.MigrateAsync(dataSource, "setup", CancellationToken.None);
            await using var insert = dataSource.CreateCommand(
                "INSERT INTO portico_config (shared, version, modified_by) VALUES ($1::json, 3, 'node-elsewhere')");
            insert.Parameters.AddWithValue("""
                {"virtualProxies": [{"prefix": "tls", "sessionCookieHeaderName": "X-Qlik-Session-tls", "anonymousAccessMode": "AlwaysAnonymous",
                  "loadBalancingServerNodes": ["https://127.0.0.1:9"], "engineConnection": {"trustedRootPath": "only-on-another-node.pem"}}]}
                """);
            await insert.ExecuteNonQueryAsync();
        }

        var config = PorticoTestHost.BaseConfig(PorticoTestHost.AnonymousProxy("keep", new Uri("http://127.0.0.1:9"))) with
        {
            Cluster = new Portico.Configuration.ClusterModeConfig { NodeName = "node-new", Postgres = connectionString },
        };

        var refused = await Assert.ThrowsAsync<Portico.Cluster.ClusterStartException>(() => PorticoTestHost.StartAsync(config));

        Assert.Contains("configuration version 3", refused.Message, StringComparison.Ordinal);
        Assert.Contains("node-elsewhere", refused.Message, StringComparison.Ordinal);
        Assert.Contains("virtualProxies[0].engineConnection.trustedRootPath", refused.Message, StringComparison.Ordinal);
    }
}
