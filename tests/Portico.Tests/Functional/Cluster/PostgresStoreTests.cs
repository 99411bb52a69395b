using Npgsql;
using Portico.Authentication;
using Portico.Cluster;
using Portico.Configuration;
using Portico.Sessions;
using Portico.Tests.Support;
using Portico.Tickets;

namespace Portico.Tests.Functional.Cluster;

/// <summary>
/// The PostgreSQL stores against a real server, two "nodes" (two stores on one database) at a time:
/// schema migration, sessions (create, find, touch, end, expiry, per-user listing), hashed rows,
/// bounded lookups for forged ids, tickets taken exactly once, login targets and shared keys.
/// </summary>
public sealed class PostgresStoreTests() : ClusterDatabaseTests("store")
{
    private Session NewSession(string user = "alice", string prefix = "app") => new()
    {
        Id = SessionIds.New(),
        VirtualProxyPrefix = prefix,
        User = new AuthenticatedUser("CORP", user) { Attributes = [new("group", "sales"), new("group", "emea")] },
        CreatedAt = Time.GetUtcNow(),
        LastActivityAt = Time.GetUtcNow(),
    };

    [Fact]
    public async Task Migrations_TwoNodesStartingAtOnceOnAnEmptyDatabase_MigrateOnceAndBothComeUp()
    {
        var empty = await (await PostgresServer.Shared).CreateDatabaseAsync("migrate");
        var starts = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => Task.Run(() => Open("node-" + i, empty))));

        Assert.Equal(ClusterSchema.LatestVersion, starts.Sum(d => d.MigrationsApplied));
        Assert.Single(starts.Select(d => d.Epoch).Distinct());
        var again = Open("node-late", empty);
        Assert.Equal(0, again.MigrationsApplied);
        await using var connection = new NpgsqlConnection(empty);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM portico_schema", connection);
        Assert.Equal((long)ClusterSchema.LatestVersion, await count.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Session_CreatedOnOneNode_IsFoundOnAnotherWithItsUserAttributesAndEngine()
    {
        using var a = new PostgresSessionStore(Open("a"), Time);
        using var b = new PostgresSessionStore(Open("b"), Time);
        var session = NewSession();

        Assert.True(await a.TryAddAsync(session, default));
        Assert.False(await a.TryAddAsync(session, default));
        await a.SetEngineNodeAsync(session.Id, "engine-2", default);

        var found = await b.FindAsync(session.Id, default);
        Assert.NotNull(found);
        Assert.Equal(session.Id, found.Id);
        Assert.Equal("alice", found.User.UserId);
        Assert.Equal(session.User.Attributes, found.User.Attributes);
        Assert.Equal("engine-2", found.EngineNode);
        Assert.Equal(session.CreatedAt.ToUnixTimeMilliseconds(), found.CreatedAt.ToUnixTimeMilliseconds());
        Assert.Equal(1, b.Count);
    }

    [Fact]
    public async Task Touch_IsBatchedThenVisibleToAnotherNodesReload()
    {
        using var a = new PostgresSessionStore(Open("a"), Time);
        using var b = new PostgresSessionStore(Open("b"), Time);
        var session = NewSession();
        await a.TryAddAsync(session, default);
        Assert.NotNull(await b.FindAsync(session.Id, default));

        var later = session.CreatedAt + TimeSpan.FromMinutes(3);
        await a.TouchAsync(session.Id, later, usedAgain: true, default);
        var beforeFlush = await b.ReloadAsync(session.Id, default);
        Assert.False(beforeFlush!.UsedAgain);

        await a.FlushActivityAsync(default);
        var reloaded = await b.ReloadAsync(session.Id, default);
        Assert.True(reloaded!.UsedAgain);
        Assert.Equal(later.ToUnixTimeMilliseconds(), reloaded.LastActivityAt.ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task Remove_OnAnotherNode_EndsItEverywhereAndLogsTheChange()
    {
        var databaseA = Open("a");
        using var a = new PostgresSessionStore(databaseA, Time);
        using var b = new PostgresSessionStore(Open("b"), Time);
        var session = NewSession();
        await a.TryAddAsync(session, default);

        var removed = await b.RemoveAsync(session.Id, SessionEndReason.Logout, default);
        Assert.NotNull(removed);
        Assert.Null(await b.RemoveAsync(session.Id, SessionEndReason.Logout, default));

        // Node a still holds it until its change feed applies the end (ChangeFeed does this on a NOTIFY).
        Assert.Equal(session.Id, a.ForgetEnded(SessionHashes.OfSession(session.Id)));
        Assert.Null(await a.FindAsync(session.Id, default));
        await using var connection = await databaseA.DataSource.OpenConnectionAsync();
        await using var change = new NpgsqlCommand("SELECT kind, reason, node FROM portico_changes WHERE subject = $1", connection);
        change.Parameters.AddWithValue(SessionHashes.OfSession(session.Id));
        await using var reader = await change.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(("end", "Logout", "b"), (reader.GetString(0), reader.GetString(1), reader.GetString(2)));
    }

    [Fact]
    public async Task FindByUser_CountsTheUsersSessionsOfEveryNode_CaseInsensitively()
    {
        using var a = new PostgresSessionStore(Open("a"), Time);
        using var b = new PostgresSessionStore(Open("b"), Time);
        var user = "bob" + Guid.NewGuid().ToString("n")[..6];
        var first = NewSession(user);
        var second = NewSession(user.ToUpperInvariant());
        await a.TryAddAsync(first, default);
        await b.TryAddAsync(second, default);

        var fromA = await a.FindByUserAsync("app", "corp", user, default);

        Assert.Equal(2, fromA.Count);
        // Its own session by id; the other node's by a handle that is no cookie.
        Assert.Contains(fromA, s => s.Id == first.Id);
        var other = Assert.Single(fromA, s => s.Id != first.Id);
        Assert.False(SessionIds.IsWellFormed(other.Id));
        Assert.Null(await a.FindAsync(other.Id, default));
        // The handle still ends it (the per-user limit and the QPS user API do this).
        Assert.NotNull(await a.RemoveAsync(other.Id, SessionEndReason.SessionLimit, default));
        Assert.Null(await b.ReloadAsync(second.Id, default));
    }

    [Fact]
    public async Task FindStale_ReturnsIdleAndOldSessionsFromTheDatabase()
    {
        using var a = new PostgresSessionStore(Open("a"), Time);
        var prefix = "stale" + Guid.NewGuid().ToString("n")[..6];
        var idle = NewSession(prefix: prefix);
        var fresh = NewSession(prefix: prefix) with { CreatedAt = idle.CreatedAt + TimeSpan.FromMinutes(30), LastActivityAt = idle.CreatedAt + TimeSpan.FromMinutes(30) };
        await a.TryAddAsync(idle, default);
        await a.TryAddAsync(fresh, default);

        var stale = await a.FindStaleAsync(new StaleSessionQuery(prefix, idle.CreatedAt + TimeSpan.FromMinutes(10), DateTimeOffset.MinValue.AddYears(1), DateTimeOffset.MinValue.AddYears(1)), 100, default);

        Assert.Equal(idle.Id, Assert.Single(stale).Id);
        Assert.Equal(2, (await a.FindStaleAsync(StaleSessionQuery.All(prefix), 100, default)).Count);
    }

    [Fact]
    public async Task SessionsTable_HoldsNoSessionId_AndItsHashIsNoSessionId()
    {
        var database = Open("a");
        using var a = new PostgresSessionStore(database, Time);
        using var b = new PostgresSessionStore(Open("b"), Time);
        var session = NewSession();
        await a.TryAddAsync(session, default);

        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var dump = new NpgsqlCommand("SELECT row_to_json(s)::text, id_hash FROM portico_sessions s WHERE id_hash = $1", connection);
        dump.Parameters.AddWithValue(SessionHashes.OfSession(session.Id));
        await using var reader = await dump.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var row = reader.GetString(0);
        var hash = reader.GetFieldValue<byte[]>(1);
        Assert.DoesNotContain(session.Id, row, StringComparison.Ordinal);
        foreach (var candidate in new[] { Convert.ToHexStringLower(hash), Convert.ToHexString(hash), Convert.ToBase64String(hash), System.Buffers.Text.Base64Url.EncodeToString(hash), SessionHashes.Handle(hash) })
        {
            Assert.Null(await b.FindAsync(candidate, default));
        }
    }

    [Fact]
    public async Task ForgedIds_AFloodOfMissesIsBoundedAndARepeatedIdIsQueriedOnce()
    {
        using var store = new PostgresSessionStore(Open("a"), Time);
        var forged = Enumerable.Range(0, 200).Select(_ => SessionIds.New()).ToList();

        await Task.WhenAll(forged.Select(id => store.FindAsync(id, default).AsTask()));
        Assert.Equal(200, store.LookupQueries);
        Assert.InRange(store.MaxLookupsRunning, 1, PostgresSessionStore.MaxConcurrentLookups);

        // The same forged id, many times at once and again later: one query in all.
        var one = SessionIds.New();
        await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => store.FindAsync(one, default).AsTask()));
        await Task.WhenAll(forged.Select(id => store.FindAsync(id, default).AsTask()));
        Assert.Equal(201, store.LookupQueries);
    }

    [Fact]
    public async Task Ticket_IssuedOnOneNode_IsRedeemedExactlyOnceAmongManyConcurrentNodes()
    {
        var issuer = new TicketStore(Time, shared: new PostgresTicketStorage(Open("issuer"), TicketStore.DefaultCapacity));
        var redeemers = Enumerable.Range(0, 6).Select(i => new TicketStore(Time, shared: new PostgresTicketStorage(Open("r" + i), TicketStore.DefaultCapacity))).ToList();
        var request = new TicketRequest { VirtualProxyPrefix = "app", UserDirectory = "CORP", UserId = "carol", Attributes = [new("role", "admin")], TargetId = "t1" };

        for (var round = 0; round < 5; round++)
        {
            var ticket = await issuer.TryIssueAsync(request, default);
            Assert.NotNull(ticket);
            var outcomes = await Task.WhenAll(redeemers.Select(r => Task.Run(async () => await r.RedeemAsync(ticket.Value, "app", default))));
            var winner = Assert.Single(outcomes, o => o.Success);
            Assert.Equal("carol", winner.Ticket!.Request.UserId);
            Assert.Equal(request.Attributes, winner.Ticket.Request.Attributes);
            Assert.Equal("t1", winner.Ticket.Request.TargetId);
        }
    }

    [Fact]
    public async Task Ticket_WrongVirtualProxyOrExpired_IsRefusedAndConsumed()
    {
        var store = new TicketStore(Time, lifetime: TimeSpan.FromSeconds(60), shared: new PostgresTicketStorage(Open("a"), TicketStore.DefaultCapacity));
        var request = new TicketRequest { VirtualProxyPrefix = "app", UserDirectory = "CORP", UserId = "dave" };

        var wrong = await store.TryIssueAsync(request, default);
        Assert.Equal(TicketRedemption.WrongVirtualProxyReason, (await store.RedeemAsync(wrong!.Value, "other", default)).FailureReason);
        Assert.Equal(TicketRedemption.UnknownReason, (await store.RedeemAsync(wrong.Value, "app", default)).FailureReason);

        var expired = await store.TryIssueAsync(request, default);
        Time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(TicketRedemption.ExpiredReason, (await store.RedeemAsync(expired!.Value, "app", default)).FailureReason);
    }

    [Fact]
    public async Task Targets_RegisteredOnOneNode_ResolveOnAnother()
    {
        var a = new TargetStore(Time, shared: new PostgresTargetStorage(Open("a"), TargetStore.DefaultCapacity));
        var b = new TargetStore(Time, shared: new PostgresTargetStorage(Open("b"), TargetStore.DefaultCapacity));
        var target = new Uri("https://portico.example.com/app/sense/app/1?sheet=2");

        var id = await a.RegisterAsync(target, default);

        Assert.Equal(target, await b.ResolveAsync(id, default));
        Assert.Null(await b.ResolveAsync(SessionIds.New(), default));
    }

    [Fact]
    public async Task Keys_AreMadeOnceAndSharedByEveryNode()
    {
        var name = "test-key-" + Guid.NewGuid().ToString("n");
        var keys = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(() => Open("k" + i).LoadOrCreateKey(name))));

        Assert.Equal(32, keys[0].Length);
        Assert.All(keys, k => Assert.Equal(keys[0], k));
    }
}
