using Portico.Authentication;
using Portico.Sessions;

namespace Portico.Tests.Unit.Sessions;

public sealed class SessionLifetimeTests
{
    private static readonly DateTimeOffset Login = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

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
        var session = new Session
        {
            Id = SessionIds.New(),
            VirtualProxyPrefix = "",
            User = new AuthenticatedUser("CORP", "alice"),
            CreatedAt = Login,
            LastActivityAt = Login.AddMinutes(minutesOfLastActivity),
        };

        Assert.Equal(expected, SessionLifetime.Evaluate(session, Idle, Lifetime, Login.AddMinutes(minutesSinceLogin)).ToString());
    }
}
