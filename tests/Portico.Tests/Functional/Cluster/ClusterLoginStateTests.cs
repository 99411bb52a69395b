using Npgsql;
using Portico.Authentication.Oidc;
using Portico.Authentication.Saml;
using Portico.Cluster;
using Portico.Configuration;
using Portico.Tests.Support;

namespace Portico.Tests.Functional.Cluster;

/// <summary>
/// Logins in progress in cluster mode, two "nodes" (two stores on one database): an OIDC login or a
/// SAML request started on one node completes on another, exactly once, within its lifetime and
/// the cluster-wide bound; the table holds hashes of states, request IDs, codes and session ids.
/// </summary>
public sealed class ClusterLoginStateTests() : ClusterDatabaseTests("logins")
{
    [Fact]
    public async Task OidcPendingLogin_StartedOnOneNode_IsTakenOnAnotherOnceWithEveryField()
    {
        var (a, b) = (Logins("a"), Logins("b"));
        var pending = Pending(a);

        Assert.True(await a.TryAddAsync("state-1", pending, default));
        Assert.False(await b.TryAddAsync("state-1", pending, default));

        var taken = await b.TakeAsync("state-1", default);
        Assert.NotNull(taken);
        Assert.Equal(pending with { BrowserBindingHash = taken.BrowserBindingHash }, taken);
        Assert.Equal(pending.BrowserBindingHash, taken.BrowserBindingHash);
        Assert.Null(await a.TakeAsync("state-1", default));
        Assert.Null(await a.TakeAsync(null, default));
        Assert.Null(await a.TakeAsync(new string('s', 129), default));
    }

    [Fact]
    public async Task OidcPendingLogin_TakenConcurrentlyOnTwoNodes_ExactlyOneGetsIt()
    {
        var (a, b) = (Logins("a"), Logins("b"));
        for (var round = 0; round < 5; round++)
        {
            var state = "race-" + round;
            Assert.True(await a.TryAddAsync(state, Pending(a), default));

            var taken = await Task.WhenAll(Task.Run(async () => await a.TakeAsync(state, default)), Task.Run(async () => await b.TakeAsync(state, default)));

            Assert.Single(taken, t => t is not null);
        }
    }

    [Fact]
    public async Task OidcPendingLogin_PastItsLifetime_IsNotTaken()
    {
        var (a, b) = (Logins("a"), Logins("b"));
        Assert.True(await a.TryAddAsync("state-late", Pending(a), default));

        Time.Advance(OidcLoginStore.DefaultLifetime + TimeSpan.FromSeconds(1));

        Assert.Null(await b.TakeAsync("state-late", default));
    }

    [Fact]
    public async Task OidcCode_PresentedOnOneNode_IsRefusedOnAnother()
    {
        var (a, b) = (Logins("a"), Logins("b"));

        Assert.True(await a.TryRecordCodeAsync("code-1", default));
        Assert.False(await b.TryRecordCodeAsync("code-1", default));
        Assert.True(await b.TryRecordCodeAsync("code-2", default));
    }

    [Fact]
    public async Task OidcPendingLogins_AreBoundedAcrossTheCluster()
    {
        var database = await (await PostgresServer.Shared).CreateDatabaseAsync("logins-bound");
        var a = new OidcLoginStore(Time, capacity: 3, shared: new PostgresLoginStateStorage(Open("a", database)));
        var b = new OidcLoginStore(Time, capacity: 3, shared: new PostgresLoginStateStorage(Open("b", database)));

        Assert.True(await a.TryAddAsync("s1", Pending(a), default));
        Assert.True(await a.TryAddAsync("s2", Pending(a), default));
        Assert.True(await b.TryAddAsync("s3", Pending(b), default));
        Assert.False(await b.TryAddAsync("s4", Pending(b), default));
        Assert.False(await a.TryAddAsync("s5", Pending(a), default));

        // A login that ended frees its place.
        Assert.NotNull(await b.TakeAsync("s1", default));
        Assert.True(await a.TryAddAsync("s6", Pending(a), default));
    }

    [Fact]
    public async Task SamlRequest_SentByOneNode_IsAnsweredOnAnotherOnceAndOnlyForItsVirtualProxy()
    {
        var a = new SamlRequestStore(Time, shared: new PostgresLoginStateStorage(Open("a")));
        var b = new SamlRequestStore(Time, shared: new PostgresLoginStateStorage(Open("b")));

        var id = await a.RegisterAsync("saml", "target-7", default);
        Assert.NotNull(id);
        Assert.StartsWith("_", id, StringComparison.Ordinal);

        Assert.Equal((false, null), await b.TryConsumeAsync(id, "other", default));
        Assert.Equal((true, "target-7"), await b.TryConsumeAsync(id, "saml", default));
        Assert.Equal((false, null), await a.TryConsumeAsync(id, "saml", default));
        Assert.Equal((false, null), await a.TryConsumeAsync("_unknown", "saml", default));
    }

    [Fact]
    public async Task SamlRequest_PastItsLifetime_IsNotAnswered()
    {
        var a = new SamlRequestStore(Time, shared: new PostgresLoginStateStorage(Open("a")));
        var id = await a.RegisterAsync("saml", null, default);

        Time.Advance(SamlRequestStore.DefaultLifetime + TimeSpan.FromSeconds(1));

        Assert.Equal((false, null), await a.TryConsumeAsync(id!, "saml", default));
    }

    [Fact]
    public async Task OidcLogoutHint_KeptByOneNode_IsSentByAnotherOnce()
    {
        var a = new OidcLogoutHints(Time, new PostgresLoginStateStorage(Open("a")));
        var b = new OidcLogoutHints(Time, new PostgresLoginStateStorage(Open("b")));

        await a.AddAsync("session-1", "eyJ.id.token", default);

        Assert.Equal("eyJ.id.token", await b.TakeAsync("session-1", default));
        Assert.Null(await a.TakeAsync("session-1", default));
    }

    [Fact]
    public async Task Table_HoldsNoStateRequestIdCodeOrSessionIdInTheClear()
    {
        var database = await (await PostgresServer.Shared).CreateDatabaseAsync("logins-hashed");
        var storage = new PostgresLoginStateStorage(Open("a", database));
        var logins = new OidcLoginStore(Time, shared: storage);
        var requests = new SamlRequestStore(Time, shared: storage);
        await logins.TryAddAsync("state-in-the-clear", Pending(logins), default);
        await logins.TryRecordCodeAsync("code-in-the-clear", default);
        await new OidcLogoutHints(Time, storage).AddAsync("session-in-the-clear", "token", default);
        var requestId = await requests.RegisterAsync("saml", null, default);

        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var dump = new NpgsqlCommand("SELECT string_agg(kind || encode(key_hash, 'escape') || payload::text, '|') FROM portico_login_states", connection);
        var rows = (string)(await dump.ExecuteScalarAsync())!;

        Assert.Contains("oidc-login", rows, StringComparison.Ordinal);
        foreach (var secret in new[] { "state-in-the-clear", "code-in-the-clear", "session-in-the-clear", requestId! })
        {
            Assert.DoesNotContain(secret, rows, StringComparison.Ordinal);
        }
    }

    private OidcLoginStore Logins(string node) => new(Time, shared: new PostgresLoginStateStorage(Open(node)));

    private static OidcPendingLogin Pending(OidcLoginStore store) =>
        new("sso", [1, 2, 3, 4], "nonce-" + Guid.NewGuid().ToString("n"), "verifier", "https://portico.example/sso/oidc/callback", new Uri("https://portico.example/sso/hub?x=1"), store.Now + store.Lifetime);
}
