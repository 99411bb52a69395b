using Portico.Authentication;
using Portico.Sessions;

namespace Portico.Tests.Unit.Sessions;

public sealed class InMemorySessionStoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly InMemorySessionStore _store = new();

    [Fact]
    public async Task TryAdd_ExistingId_IsRefusedAndTheFirstSessionKeepsItsUser()
    {
        var first = NewSession("alice");
        Assert.True(await _store.TryAddAsync(first, default));

        Assert.False(await _store.TryAddAsync(first with { User = new AuthenticatedUser("CORP", "mallory") }, default));
        Assert.Equal("alice", (await _store.FindAsync(first.Id, default))!.User.UserId);
    }

    [Fact]
    public async Task FindByUser_IsCaseInsensitivePerVirtualProxy_AndForgetsRemovedSessions()
    {
        var a = NewSession("alice");
        var b = NewSession("ALICE");
        var otherProxy = NewSession("alice") with { VirtualProxyPrefix = "other" };
        foreach (var session in new[] { a, b, otherProxy })
        {
            await _store.TryAddAsync(session, default);
        }

        Assert.Equal(2, (await _store.FindByUserAsync("", "corp", "Alice", default)).Count);
        await _store.RemoveAsync(a.Id, SessionEndReason.Logout, default);
        await _store.RemoveAsync(b.Id, SessionEndReason.Logout, default);
        Assert.Empty(await _store.FindByUserAsync("", "CORP", "alice", default));
        Assert.Single(await _store.FindByUserAsync("other", "CORP", "alice", default));
    }

    [Fact]
    public async Task FindByCredential_FindsTheSessionUntilItIsRemoved()
    {
        var session = NewSession("alice") with { CredentialKey = "jwt:abc" };
        await _store.TryAddAsync(session, default);

        Assert.Equal(session.Id, (await _store.FindByCredentialAsync("", "jwt:abc", default))!.Id);
        await _store.RemoveAsync(session.Id, SessionEndReason.Logout, default);
        Assert.Null(await _store.FindByCredentialAsync("", "jwt:abc", default));
    }

    [Fact]
    public async Task TouchAndEngineNode_UpdateTheStoredSession()
    {
        var session = NewSession("alice");
        await _store.TryAddAsync(session, default);

        await _store.TouchAsync(session.Id, Now.AddMinutes(5), usedAgain: true, default);
        await _store.TouchAsync(session.Id, Now.AddMinutes(1), usedAgain: true, default);
        await _store.SetEngineNodeAsync(session.Id, "node-2", default);

        var stored = (await _store.FindAsync(session.Id, default))!;
        Assert.Equal(Now.AddMinutes(5), stored.LastActivityAt);
        Assert.Equal("node-2", stored.EngineNode);
    }

    [Fact]
    public async Task FindStale_ReturnsSessionsAtOrBeforeTheLimits()
    {
        var idle = NewSession("idle") with { LastActivityAt = Now.AddMinutes(-30) };
        var fresh = NewSession("fresh");
        await _store.TryAddAsync(idle, default);
        await _store.TryAddAsync(fresh, default);

        var stale = await _store.FindStaleAsync(new StaleSessionQuery("", Now.AddMinutes(-30), Now.AddHours(-12), Now.AddMinutes(-1)), 100, default);

        Assert.Equal(idle.Id, Assert.Single(stale).Id);
    }

    [Fact]
    public async Task FindStale_OtherVirtualProxy_IsNotReturned()
    {
        var idle = NewSession("idle") with { LastActivityAt = Now.AddMinutes(-30), VirtualProxyPrefix = "sales" };
        await _store.TryAddAsync(idle, default);

        var stale = await _store.FindStaleAsync(new StaleSessionQuery("", Now, Now, Now), 100, default);

        Assert.Empty(stale);
    }

    [Fact]
    public async Task FindStale_UnusedAnonymousPastTheGrace_IsReturnedButAUsedOneIsNot()
    {
        var unused = NewSession("anon-1") with { User = new AuthenticatedUser(AuthenticatedUser.AnonymousDirectory, "anon-1"), CreatedAt = Now.AddMinutes(-2) };
        var used = NewSession("anon-2") with { User = new AuthenticatedUser(AuthenticatedUser.AnonymousDirectory, "anon-2"), CreatedAt = Now.AddMinutes(-2) };
        await _store.TryAddAsync(unused, default);
        await _store.TryAddAsync(used, default);
        await _store.TouchAsync(used.Id, Now.AddMinutes(-1), usedAgain: true, default);

        var stale = await _store.FindStaleAsync(new StaleSessionQuery("", Now.AddMinutes(-30), Now.AddHours(-12), Now.AddMinutes(-1)), 100, default);

        Assert.Equal(unused.Id, Assert.Single(stale).Id);
    }

    [Fact]
    public async Task Count_FollowsAddsAndRemoves()
    {
        var a = NewSession("a");
        var b = NewSession("b");
        await _store.TryAddAsync(a, default);
        await _store.TryAddAsync(b, default);
        await _store.TryAddAsync(a, default);
        Assert.Equal(2, _store.Count);

        Assert.NotNull(await _store.RemoveAsync(a.Id, SessionEndReason.Logout, default));
        Assert.Null(await _store.RemoveAsync(a.Id, SessionEndReason.Logout, default));

        Assert.Equal(1, _store.Count);
    }

    [Fact]
    public async Task Touch_SocketActivity_RecordsTimeButDoesNotMarkTheSessionUsed()
    {
        var session = NewSession("alice");
        await _store.TryAddAsync(session, default);

        await _store.TouchAsync(session.Id, Now.AddMinutes(1), usedAgain: false, default);

        var stored = (await _store.FindAsync(session.Id, default))!;
        Assert.Equal(Now.AddMinutes(1), stored.LastActivityAt);
        Assert.False(stored.UsedAgain);
    }

    [Fact]
    public async Task Touch_MarksTheSessionUsedAgain()
    {
        var session = NewSession("alice");
        await _store.TryAddAsync(session, default);

        await _store.TouchAsync(session.Id, Now, usedAgain: true, default);

        Assert.True((await _store.FindAsync(session.Id, default))!.UsedAgain);
    }

    private static Session NewSession(string user) => new()
    {
        Id = SessionIds.New(),
        VirtualProxyPrefix = "",
        User = new AuthenticatedUser("CORP", user),
        CreatedAt = Now,
        LastActivityAt = Now,
    };
}
