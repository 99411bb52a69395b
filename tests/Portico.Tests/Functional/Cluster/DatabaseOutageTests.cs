using System.Net;
using Portico.Configuration;
using Portico.Tests.Functional.Sessions;
using Portico.Tests.Support;

namespace Portico.Tests.Functional.Cluster;

/// <summary>
/// The database goes away under a running node (a private server, stopped and started again):
/// sessions the node holds are still served, logins and tickets fail closed with 503 and a clear
/// message, and once the database is back everything works again without restarting Portico.
/// </summary>
public sealed class DatabaseOutageTests : IAsyncLifetime
{
    private PostgresServer _server = null!;
    private SessionsHost _node = null!;

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.StartAsync();
        var connectionString = await _server.CreateDatabaseAsync("outage");
        _node = await SessionsHost.StartAsync(
            engine => [SessionsHost.LoginRequired("app", engine)],
            configure: config => config with { Cluster = new ClusterModeConfig { NodeName = "node-a", Postgres = connectionString, ChangePollSeconds = 1 } });
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task DatabaseStopped_HeldSessionsServedLoginsRefused_ThenStarted_LoginsWorkWithoutARestart()
    {
        var held = await _node.Api.CreateSessionIdAsync("app", "CORP", "alice");
        Assert.Equal(HttpStatusCode.OK, await _node.EchoStatusAsync("app", held));
        var ticket = (await _node.Api.IssueTicketAsync("app", "CORP", "bob")).GetProperty("Ticket").GetString();

        await _server.StopServerAsync();

        Assert.Equal(HttpStatusCode.OK, await _node.EchoStatusAsync("app", held));
        using (var login = await _node.Api.SendCreateSessionAsync("app", new { UserDirectory = "CORP", UserId = "carol" }))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, login.StatusCode);
            Assert.Contains("database_unavailable", await login.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var redeem = await _node.GetAsync($"app/{SessionsHost.EchoPath}?qlikTicket={ticket}"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, redeem.StatusCode);
            Assert.NotNull(redeem.Headers.RetryAfter);
        }

        // A session this node does not hold cannot be checked: refused, not guessed.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await _node.EchoStatusAsync("app", SessionsHost.NeverIssuedId()));
        Assert.Equal(HttpStatusCode.OK, await _node.EchoStatusAsync("app", held));

        await _server.StartServerAsync();

        await Eventually.TrueAsync(async () =>
        {
            using var login = await _node.Api.SendCreateSessionAsync("app", new { UserDirectory = "CORP", UserId = "carol" });
            return login.StatusCode == HttpStatusCode.Created;
        }, TimeSpan.FromSeconds(15), "a login to work again once the database is back");
        Assert.Equal(HttpStatusCode.OK, await _node.EchoStatusAsync("app", held));
        // The ticket was never taken: it still logs in once.
        using (var redeem = await _node.GetAsync($"app/{SessionsHost.EchoPath}?qlikTicket={ticket}"))
        {
            Assert.Equal(HttpStatusCode.Found, redeem.StatusCode);
        }

        using var logout = await _node.LogoutAsync("app", held);
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await _node.EchoStatusAsync("app", held));
    }

    [Fact]
    public async Task GraceOver_HeldSessionsAreNoLongerServed()
    {
        var held = await _node.Api.CreateSessionIdAsync("app", "CORP", "dave");
        await _server.StopServerAsync();
        try
        {
            Assert.Equal(HttpStatusCode.OK, await _node.EchoStatusAsync("app", held));
            _node.Advance(TimeSpan.FromSeconds(new ClusterModeConfig().DatabaseGraceSeconds + 1));
            Assert.NotEqual(HttpStatusCode.OK, await _node.EchoStatusAsync("app", held));
        }
        finally
        {
            await _server.StartServerAsync();
        }

        await Eventually.TrueAsync(async () => await _node.EchoStatusAsync("app", held) == HttpStatusCode.OK, TimeSpan.FromSeconds(15), "the session to be served again with the database back");
    }
}

/// <summary>A single node with PostgreSQL keeps its sessions, and their CSRF tokens, across a restart.</summary>
public sealed class ClusterRestartTests
{
    [Fact]
    public async Task Restart_KeepsSessionsAndTheirCsrfTokens()
    {
        var connectionString = await (await PostgresServer.Shared).CreateDatabaseAsync("restart");
        Func<PorticoConfig, PorticoConfig> cluster = config => config with { Cluster = new ClusterModeConfig { NodeName = "only", Postgres = connectionString } };
        string id;
        string token;
        await using (var first = await SessionsHost.StartAsync(engine => [SessionsHost.LoginRequired("app", engine)], configure: cluster))
        {
            id = await first.Api.CreateSessionIdAsync("app", "CORP", "erin");
            token = await first.CsrfTokenAsync("app", id);
        }

        // A new process in every way but the database: another data directory, another engine. The
        // virtual proxies are the cluster's (docs/cluster.md), stored by the first node with its
        // engine's address: they are cleared so that the second node's file seeds them again.
        await using (var connection = new Npgsql.NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var clear = new Npgsql.NpgsqlCommand("DELETE FROM portico_config", connection);
            await clear.ExecuteNonQueryAsync();
        }

        await using var second = await SessionsHost.StartAsync(engine => [SessionsHost.LoginRequired("app", engine)], configure: cluster);

        Assert.Equal("UserDirectory=CORP; UserId=erin", await second.EchoedUserAsync("app", id));
        Assert.Equal(token, await second.CsrfTokenAsync("app", id));
    }
}
