using System.Diagnostics;
using System.Net;
using Npgsql;
using Portico.Cluster;
using Portico.Configuration;
using Portico.Tests.Functional.Sessions;
using Portico.Tests.Support;

namespace Portico.Tests.Functional.Cluster;

/// <summary>Three Portico nodes on 127.0.0.1 sharing one PostgreSQL database, each with a demo engine of its own.</summary>
public sealed class ClusterNodesFixture : IAsyncLifetime
{
    public const int MaxSessionsPerUser = 2;

    public string ConnectionString { get; private set; } = "";

    public SessionsHost A { get; private set; } = null!;

    public SessionsHost B { get; private set; } = null!;

    public SessionsHost C { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        ConnectionString = await (await PostgresServer.Shared).CreateDatabaseAsync("nodes");
        // Started together on the empty database: one migrates, the others wait for it.
        var nodes = await Task.WhenAll(new[] { "a", "b", "c" }.Select(StartNodeAsync));
        (A, B, C) = (nodes[0], nodes[1], nodes[2]);
    }

    public Task<SessionsHost> StartNodeAsync(string name) =>
        SessionsHost.StartAsync(
            engine => [SessionsHost.LoginRequired("app", engine)],
            new SessionsConfig { MaxSessionsPerUser = MaxSessionsPerUser },
            configure: config => config with { Cluster = new ClusterModeConfig { NodeName = "node-" + name, Postgres = ConnectionString, ChangePollSeconds = 1 } });

    public async Task DisposeAsync()
    {
        foreach (var node in new[] { A, B, C })
        {
            if (node is not null)
            {
                await node.DisposeAsync();
            }
        }
    }
}

/// <summary>
/// What a cluster promises across nodes: a session made on one is served by every other, an end on
/// any reaches the node holding the session's sockets within a second (Qlik's notice, then the
/// close), a ticket logs in once whichever nodes it is shown to, the per-user limit counts every
/// node's sessions, and every node derives the same CSRF token.
/// </summary>
public sealed class ClusterNodesTests(ClusterNodesFixture cluster) : IClassFixture<ClusterNodesFixture>
{
    private static readonly TimeSpan Propagation = TimeSpan.FromSeconds(1);

    private static string NewUser() => "user-" + Guid.NewGuid().ToString("n")[..8];

    [Fact]
    public async Task LoginOnA_UseOnB_LogoutOnC_EndsItOnAAndAsSocketIsToldAndClosedWithinOneSecond()
    {
        var user = NewUser();
        var id = await cluster.A.Api.CreateSessionIdAsync("app", "CORP", user);
        Assert.Equal($"UserDirectory=CORP; UserId={user}", await cluster.B.EchoedUserAsync("app", id));
        await using var socket = await cluster.A.OpenEngineSocketAsync("app", id);

        var clock = Stopwatch.StartNew();
        using (var logout = await cluster.C.LogoutAsync("app", id))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        var notice = await socket.WaitForNotificationAsync("OnSessionLoggedOut");
        Assert.True(await socket.WaitForCloseAsync(Propagation), "A's socket stayed open after the notice");
        Assert.True(clock.Elapsed <= Propagation + TimeSpan.FromMilliseconds(500), $"the end took {clock.ElapsedMilliseconds} ms to reach node A");
        Assert.Equal("OnSessionLoggedOut", notice.GetProperty("method").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, await cluster.A.EchoStatusAsync("app", id));
        Assert.Equal(HttpStatusCode.Unauthorized, await cluster.B.EchoStatusAsync("app", id));
    }

    [Fact]
    public async Task AdminDeleteOnB_ClosesTheSocketOnA()
    {
        var id = await cluster.A.Api.CreateSessionIdAsync("app", "CORP", NewUser());
        await using var socket = await cluster.A.OpenEngineSocketAsync("app", id);

        using (var deleted = await cluster.B.Api.DeleteSessionAsync("app", id))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        Assert.True(await socket.WaitForCloseAsync(TimeSpan.FromSeconds(3)), "A's socket stayed open after B deleted the session");
        Assert.Equal(HttpStatusCode.Unauthorized, await cluster.A.EchoStatusAsync("app", id));
    }

    [Fact]
    public async Task TicketIssuedOnA_RedeemedConcurrentlyOnBAndC_LogsInExactlyOnce()
    {
        for (var round = 0; round < 3; round++)
        {
            var ticket = (await cluster.A.Api.IssueTicketAsync("app", "CORP", NewUser())).GetProperty("Ticket").GetString();
            var path = $"app/{SessionsHost.EchoPath}?qlikTicket={ticket}";

            var answers = await Task.WhenAll(cluster.B.GetAsync(path), cluster.C.GetAsync(path));

            Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Found);
            Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Unauthorized);
            foreach (var answer in answers)
            {
                answer.Dispose();
            }
        }
    }

    [Fact]
    public async Task PerUserLimit_CountsTheSessionsOfEveryNode()
    {
        var user = NewUser();
        var first = await cluster.A.Api.CreateSessionIdAsync("app", "CORP", user);
        Assert.Equal(HttpStatusCode.OK, await cluster.A.EchoStatusAsync("app", first));
        var second = await cluster.B.Api.CreateSessionIdAsync("app", "CORP", user);

        // The third login, on a third node, ends the least recently active one (on node A).
        var third = await cluster.C.Api.CreateSessionIdAsync("app", "CORP", user);

        await Eventually.TrueAsync(async () => await cluster.A.EchoStatusAsync("app", first) == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(3), "the oldest session to end on node A");
        Assert.Equal(HttpStatusCode.OK, await cluster.A.EchoStatusAsync("app", second));
        Assert.Equal(HttpStatusCode.OK, await cluster.B.EchoStatusAsync("app", third));
    }

    [Fact]
    public async Task PerUserLimit_LoginsAtTheSameMomentOnThreeNodes_LeaveAtMostTheLimit()
    {
        for (var round = 0; round < 3; round++)
        {
            var user = NewUser();
            await cluster.A.Api.CreateSessionIdAsync("app", "CORP", user);

            // Three logins racing on three nodes: each made room for itself before storing, and
            // each looks again after storing.
            var ids = await Task.WhenAll(new[] { cluster.A, cluster.B, cluster.C }.Select(node => Task.Run(() => node.Api.CreateSessionIdAsync("app", "CORP", user))));

            var statuses = await Task.WhenAll(ids.Select(id => cluster.B.EchoStatusAsync("app", id)));
            Assert.True(statuses.Count(s => s == HttpStatusCode.OK) <= ClusterNodesFixture.MaxSessionsPerUser, $"round {round}: {string.Join(", ", statuses)}");
            await using var connection = new NpgsqlConnection(cluster.ConnectionString);
            await connection.OpenAsync();
            await using var count = new NpgsqlCommand("SELECT count(*) FROM portico_sessions WHERE user_id = $1", connection);
            count.Parameters.AddWithValue(user);
            Assert.Equal((long)ClusterNodesFixture.MaxSessionsPerUser, await count.ExecuteScalarAsync());
        }
    }

    [Fact]
    public async Task ARowOfTheSessionsTable_IsNoCookieOnAnyNode()
    {
        var id = await cluster.A.Api.CreateSessionIdAsync("app", "CORP", NewUser());
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        await using var read = new NpgsqlCommand("SELECT id_hash FROM portico_sessions WHERE id_hash = $1", connection);
        read.Parameters.AddWithValue(SessionHashes.OfSession(id));
        var hash = (byte[])(await read.ExecuteScalarAsync())!;

        foreach (var node in new[] { cluster.A, cluster.B, cluster.C })
        {
            foreach (var value in new[] { Convert.ToHexStringLower(hash), System.Buffers.Text.Base64Url.EncodeToString(hash) })
            {
                Assert.Equal(HttpStatusCode.Unauthorized, await node.EchoStatusAsync("app", value));
            }
        }
    }

    [Fact]
    public async Task EveryNode_DerivesTheSameCsrfToken()
    {
        var id = await cluster.A.Api.CreateSessionIdAsync("app", "CORP", NewUser());

        var tokens = await Task.WhenAll(cluster.A.CsrfTokenAsync("app", id), cluster.B.CsrfTokenAsync("app", id), cluster.C.CsrfTokenAsync("app", id));

        Assert.Single(tokens.Distinct());
    }
}
