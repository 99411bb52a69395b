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
}
