using Portico.Authentication;
using Portico.Sessions;

namespace Portico.Tests.Unit.Sessions;

public sealed class SessionLifetimeTests
{
    private static readonly DateTimeOffset Login = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly SessionLimits Limits = new(TimeSpan.FromMinutes(30), TimeSpan.FromHours(12), TimeSpan.FromMinutes(1));

    [Theory]
    [InlineData(0, 0, "Active")]
    [InlineData(29, 0, "Active")]
    [InlineData(30, 0, "IdleExpired")]
    [InlineData(31, 0, "IdleExpired")]
    [InlineData(600, 590, "Active")]
    [InlineData(720, 719, "LifetimeExpired")]
    [InlineData(721, 720, "LifetimeExpired")]
    public void Evaluate_IdleAndAbsoluteLimits(int minutesSinceLogin, int minutesOfLastActivity, string expected)
    {
        var session = NewSession(new AuthenticatedUser("CORP", "alice"), minutesOfLastActivity, usedAgain: false);

        Assert.Equal(expected, SessionLifetime.Evaluate(session, Limits, Login.AddMinutes(minutesSinceLogin)).ToString());
    }

    [Theory]
    [InlineData(0, false, "Active")]
    [InlineData(59, false, "Active")]
    [InlineData(60, false, "NeverUsed")]
    [InlineData(600, false, "NeverUsed")]
    [InlineData(60, true, "Active")]
    [InlineData(600, true, "Active")]
    public void Evaluate_AnonymousSession_MustBeUsedAgainWithinTheGrace(int secondsSinceLogin, bool usedAgain, string expected)
    {
        var session = NewSession(new AuthenticatedUser(AuthenticatedUser.AnonymousDirectory, "anon-1"), 0, usedAgain);

        Assert.Equal(expected, SessionLifetime.Evaluate(session, Limits, Login.AddSeconds(secondsSinceLogin)).ToString());
    }

    [Fact]
    public void Evaluate_UnusedAnonymousSessionWithAnOpenSocket_IsNotCutForTheGrace()
    {
        var session = NewSession(new AuthenticatedUser(AuthenticatedUser.AnonymousDirectory, "anon-1"), 0, usedAgain: false);

        Assert.Equal(SessionState.Active, SessionLifetime.Evaluate(session, Limits, Login.AddMinutes(10), hasOpenSockets: true));
        Assert.Equal(SessionState.NeverUsed, SessionLifetime.Evaluate(session, Limits, Login.AddMinutes(10), hasOpenSockets: false));
    }

    [Fact]
    public void Evaluate_UnusedSessionOfANamedUser_HasNoGrace()
    {
        var session = NewSession(new AuthenticatedUser("CORP", "alice"), 0, usedAgain: false);

        Assert.Equal(SessionState.Active, SessionLifetime.Evaluate(session, Limits, Login.AddMinutes(10)));
    }

    private static Session NewSession(AuthenticatedUser user, int minutesOfLastActivity, bool usedAgain) => new()
    {
        Id = SessionIds.New(),
        VirtualProxyPrefix = "",
        User = user,
        CreatedAt = Login,
        LastActivityAt = Login.AddMinutes(minutesOfLastActivity),
        UsedAgain = usedAgain,
    };
}
