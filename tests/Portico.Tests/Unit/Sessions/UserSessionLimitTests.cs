using Portico.Authentication;
using Portico.Sessions;

namespace Portico.Tests.Unit.Sessions;

public sealed class UserSessionLimitTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private static Session At(string id, int activeMinute, int createdMinute = 0) => new()
    {
        Id = id,
        VirtualProxyPrefix = "app",
        User = new AuthenticatedUser("CORP", "alice"),
        CreatedAt = Start.AddMinutes(createdMinute),
        LastActivityAt = Start.AddMinutes(activeMinute),
    };

    [Theory]
    [InlineData(0, 1, "")]
    [InlineData(1, 1, "")]
    [InlineData(2, 1, "b")]
    [InlineData(3, 1, "b,c")]
    [InlineData(3, 0, "b,c,a")]
    [InlineData(3, 3, "")]
    [InlineData(3, -1, "b,c,a")]
    public void Excess_BeforeALogin_EndsTheLeastRecentlyActiveBeyondWhatIsAllowed(int count, int allowed, string expected)
    {
        var live = new[] { At("a", 30), At("b", 10), At("c", 20) }.Take(count).ToList();

        Assert.Equal(expected, string.Join(",", UserSessionLimit.Excess(live, allowed).Select(s => s.Id)));
    }

    [Fact]
    public void Excess_LoginsRacingOnThreeNodes_LeaveExactlyTheMostRecent_WhateverEachNodeSaw()
    {
        // One older session, then three logins stored at once on three nodes: the node of "a"
        // counted before "b" and "c" were stored, the node of "b" before "c", the node of "c" saw all.
        var s0 = At("s0", 1);
        var (a, b, c) = (At("a", 5, createdMinute: 5), At("b", 6, createdMinute: 6), At("c", 7, createdMinute: 7));
        var views = new List<Session>[] { [s0, a], [s0, a, b], [s0, a, b, c] };

        var ended = views.SelectMany(view => UserSessionLimit.Excess(view, allowed: 2)).Select(s => s.Id).ToHashSet();

        Assert.Equal(["b", "c"], new[] { s0, a, b, c }.Select(s => s.Id).Where(id => !ended.Contains(id)));
    }

    [Fact]
    public void Excess_SameActivity_EndsTheOlderSessionFirst()
    {
        var live = new List<Session> { At("younger", 10, createdMinute: 9), At("older", 10, createdMinute: 1) };

        Assert.Equal(["older"], UserSessionLimit.Excess(live, allowed: 1).Select(s => s.Id));
    }
}
