using Portico.Sessions;

namespace Portico.WebSockets;

/// <summary>
/// Which notification and close status a socket gets when its session ends, by why it ended. The
/// close statuses are those Qlik's clients already read: 4001 (timed out) and 4005 (session limit)
/// make @qlik/api stop rather than reconnect on its own, as does a normal close (1000).
/// </summary>
internal static class SessionEndNotice
{
    private static readonly SocketNotice TimedOut = new("OnSessionTimedOut",
        "Your session has timed out. Log in again to continue.", 4001, "Session timed out");

    private static readonly SocketNotice LoggedOut = new("OnSessionLoggedOut",
        "You have been logged out.", 1000, "Session logged out");

    private static readonly SocketNotice Closed = new("OnSessionClosed",
        "Your session was closed. Log in again to continue.", 1000, "Session closed");

    private static readonly SocketNotice LimitReached = new("OnSessionClosed",
        "Your session was closed because you opened too many sessions.", 4005, "Session limit reached");

    public static SocketNotice For(SessionEndReason reason) => reason switch
    {
        SessionEndReason.Logout => LoggedOut,
        SessionEndReason.IdleTimeout or SessionEndReason.LifetimeExpired or SessionEndReason.NeverUsed => TimedOut,
        SessionEndReason.SessionLimit => LimitReached,
        // An administrator's delete, a user's sessions torn down through the API, a login that replaced the session.
        _ => Closed,
    };
}
