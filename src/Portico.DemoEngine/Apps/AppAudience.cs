namespace Portico.DemoEngine.Apps;

/// <summary>Who may see and open a demo app; the engine's whole access model.</summary>
internal enum AppAudience
{
    /// <summary>Every connected user, including anonymous ones.</summary>
    Everyone,

    /// <summary>Only users from a real user directory, i.e. any directory except ANONYMOUS.</summary>
    DirectoryUsers,
}
