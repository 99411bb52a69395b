using System.Net;
using System.Text.Json.Nodes;
using Npgsql;
using Portico.Configuration;
using Portico.DemoEngine;
using Portico.Listeners;
using Portico.Tests.Functional.Admin;
using Portico.Tests.Functional.Authentication;
using Portico.Tests.Support;

namespace Portico.Tests.Functional.Cluster;

/// <summary>
/// Two Portico nodes, each with its admin (QRS) API and ops listener, started at once on an empty
/// database of the shared PostgreSQL server, sharing one demo engine. Their files differ: node A's
/// has the virtual proxy "froma", node B's "fromb"; both have "keep". What the database held right
/// after both started is recorded before any test runs.
/// </summary>
public sealed class ClusterConfigFixture : IAsyncLifetime
{
    public string ConnectionString { get; private set; } = "";

    public DemoEngineServer Engine { get; private set; } = null!;

    public PorticoTestHost A { get; private set; } = null!;

    public PorticoTestHost B { get; private set; } = null!;

    /// <summary>The configuration row right after both nodes started: its version and who wrote it.</summary>
    public (long Version, string ModifiedBy, int Rows) Seed { get; private set; }

    public string EngineUrl => Engine.BaseAddress.ToString().TrimEnd('/');

    public async Task InitializeAsync()
    {
        Engine = await DemoEngineServer.StartAsync(new DemoEngineOptions());
        ConnectionString = await (await PostgresServer.Shared).CreateDatabaseAsync("config");
        var nodes = await Task.WhenAll(StartNodeAsync("a"), StartNodeAsync("b"));
        (A, B) = (nodes[0], nodes[1]);
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var read = new NpgsqlCommand("SELECT max(version), max(modified_by), count(*)::int FROM portico_config", connection);
        await using var reader = await read.ExecuteReaderAsync();
        await reader.ReadAsync();
        Seed = (reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2));
    }

    private Task<PorticoTestHost> StartNodeAsync(string name)
    {
        var config = PorticoTestHost.BaseConfig(
            PorticoTestHost.AnonymousProxy("keep", Engine.BaseAddress),
            PorticoTestHost.AnonymousProxy("from" + name, Engine.BaseAddress)) with
        {
            Cluster = new ClusterModeConfig { NodeName = "node-" + name, Postgres = ConnectionString, ChangePollSeconds = 1 },
        };
        return PorticoTestHost.StartAsync(PorticoTestHost.WithAdminApi(config, ops: true));
    }

    public async Task DisposeAsync()
    {
        foreach (var node in new[] { A, B })
        {
            if (node is not null)
            {
                await node.DisposeAsync();
            }
        }

        await Engine.DisposeAsync();
    }

    /// <summary>A node's admin API, with the development client certificate that node trusts.</summary>
    internal static QpsApiClient Admin(PorticoTestHost node) =>
        new(node, useDevelopmentCertificate: true, port: node.Services.GetRequiredService<BoundListeners>().QrsApiPort!.Value);

    public JsonObject NewProxy(string prefix) => Portico.Tests.Functional.Admin.AdminFixture.NewProxy(prefix, EngineUrl);

    public async Task<JsonObject> CreateAsync(PorticoTestHost node, string prefix)
    {
        using var api = Admin(node);
        using var response = await api.SendAsync(HttpMethod.Post, "qrs/virtualproxyconfig", NewProxy(prefix).ToJsonString());
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        return JsonNode.Parse(text)!.AsObject();
    }

    public static bool Serves(PorticoTestHost node, string prefix) =>
        node.Snapshots.Current.Config.VirtualProxies.Any(vp => vp.Prefix == prefix);

    public static async Task<HttpStatusCode> EchoStatusAsync(PorticoTestHost node, string prefix)
    {
        using var client = node.CreateClient();
        using var response = await client.GetAsync($"/{prefix}/portico-demo/echo");
        return response.StatusCode;
    }

    public static async Task<(HttpStatusCode Status, JsonNode Body)> ReadyAsync(PorticoTestHost node)
    {
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{node.Services.GetRequiredService<BoundListeners>().OpsPort!.Value}/") };
        using var response = await client.GetAsync("readyz");
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }
}
