using System.Net;
using System.Text.Json.Nodes;
using Portico.Admin;
using Portico.Configuration;
using Portico.DemoEngine;
using Portico.Listeners;
using Portico.Tests.Functional.Admin;
using Portico.Tests.Support;

namespace Portico.Tests.Functional.Cluster;

/// <summary>
/// The cluster database goes away under a node (a private server, stopped and started again): the
/// admin API still reads, from the configuration the node runs, and refuses writes with 503 and a
/// message that says why; once the database is back, writes work without a restart.
/// </summary>
public sealed class ClusterConfigOutageTests : IAsyncLifetime
{
    private PostgresServer _server = null!;
    private DemoEngineServer _engine = null!;
    private PorticoTestHost _node = null!;

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.StartAsync();
        var connectionString = await _server.CreateDatabaseAsync("configoutage");
        _engine = await DemoEngineServer.StartAsync(new DemoEngineOptions());
        _node = await PorticoTestHost.StartAsync(PorticoTestHost.WithAdminApi(PorticoTestHost.BaseConfig(PorticoTestHost.AnonymousProxy("keep", _engine.BaseAddress)) with
        {
            Cluster = new ClusterModeConfig { NodeName = "node-a", Postgres = connectionString, ChangePollSeconds = 1 },
        }));
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        await _engine.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task DatabaseStopped_AdminReadsAnswerFromTheRunningConfig_WritesAre503_ThenWorkWhenItIsBack()
    {
        using var api = ClusterConfigFixture.Admin(_node);
        var proxy = new JsonObject
        {
            ["prefix"] = "later",
            ["sessionCookieHeaderName"] = "X-Qlik-Session-later",
            ["anonymousAccessMode"] = 2,
            ["loadBalancingServerNodes"] = new JsonArray(_engine.BaseAddress.ToString().TrimEnd('/')),
        };

        await _server.StopServerAsync();
        try
        {
            using var list = await api.SendAsync(HttpMethod.Get, "qrs/virtualproxyconfig/full");
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
            var keep = (await AdminFixture.JsonAsync(list)).AsArray().Single(vp => AdminFixture.Text(vp!["prefix"]) == "keep")!;

            using var create = await api.SendAsync(HttpMethod.Post, "qrs/virtualproxyconfig", proxy.ToJsonString());
            using var update = await api.SendAsync(HttpMethod.Put, $"qrs/virtualproxyconfig/{AdminFixture.Text(keep["id"])}",
                new JsonObject { ["modifiedDate"] = keep["modifiedDate"]!.DeepClone(), ["description"] = "while the database is away" }.ToJsonString());

            foreach (var refused in new[] { create, update })
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
                var body = await AdminFixture.JsonAsync(refused);
                Assert.Equal("database_unavailable", AdminFixture.Text(body["error"]));
                Assert.Equal(PostgresConfigSource.UnavailableMessage, AdminFixture.Text(body["message"]));
                Assert.NotNull(refused.Headers.RetryAfter);
            }

            Assert.False(ClusterConfigFixture.Serves(_node, "later"));
            Assert.True(ClusterConfigFixture.Serves(_node, "keep"));
        }
        finally
        {
            await _server.StartServerAsync();
        }

        await Eventually.TrueAsync(async () =>
        {
            using var create = await api.SendAsync(HttpMethod.Post, "qrs/virtualproxyconfig", proxy.ToJsonString());
            return create.StatusCode == HttpStatusCode.Created;
        }, TimeSpan.FromSeconds(15), "a write to work again once the database is back");
        Assert.Equal(HttpStatusCode.OK, await ClusterConfigFixture.EchoStatusAsync(_node, "later"));
    }
}
