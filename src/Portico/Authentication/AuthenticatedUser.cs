namespace Portico.Authentication;

/// <summary>Who the request acts for, as the engine will be told in X-Qlik-User.</summary>
internal sealed record AuthenticatedUser(string UserDirectory, string UserId)
{
    /// <summary>Qlik's directory for users admitted without credentials.</summary>
    public const string AnonymousDirectory = "ANONYMOUS";

    public bool IsAnonymous => string.Equals(UserDirectory, AnonymousDirectory, StringComparison.OrdinalIgnoreCase);
}
