namespace Portico.Sessions;

internal enum SessionEndReason
{
    Logout,
    IdleTimeout,
    LifetimeExpired,
    AdminDeleted,
    UserTeardown,
    SessionLimit,
    ReplacedByLogin,

    /// <summary>An anonymous session nobody came back to within the first-use grace.</summary>
    NeverUsed,
}
