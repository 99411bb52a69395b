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

        Assert.Equal(expected, string.Join(",", UserSessionLimit.Excess(live, allowed, keep: null).Select(s => s.Id)));
    }

    [Fact]
    public void Excess_AfterALogin_NeverEndsTheNewSession_EvenWhenItIsTheLeastRecentlyActive()
    {
        // Racing logins on other nodes may be more recent than this one, and an old session's activity may be newer too.
        var live = new List<Session> { At("new", 5, createdMinute: 5), At("old", 40), At("other-node", 6, createdMinute: 6) };

        Assert.Equal(["other-node"], UserSessionLimit.Excess(live, allowed: 2, keep: "new").Select(s => s.Id));
        Assert.Empty(UserSessionLimit.Excess(live, allowed: 3, keep: "new"));
    }

    [Fact]
    public void Excess_SameActivity_EndsTheOlderSessionFirst()
    {
        var live = new List<Session> { At("younger", 10, createdMinute: 9), At("older", 10, createdMinute: 1) };

        Assert.Equal(["older"], UserSessionLimit.Excess(live, allowed: 1, keep: null).Select(s => s.Id));
    }

    [Fact]
    public void Excess_KeptSessionNotAmongTheLive_CountsOnlyTheLive()
    {
        var live = new List<Session> { At("a", 1), At("b", 2) };

        Assert.Equal(["a"], UserSessionLimit.Excess(live, allowed: 1, keep: "gone").Select(s => s.Id));
    }
}
