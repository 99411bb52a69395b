namespace Portico.Authentication;

/// <summary>Who the request acts for, as the engine will be told in X-Qlik-User.</summary>
internal sealed record AuthenticatedUser(string UserDirectory, string UserId)
{
    /// <summary>Qlik's directory for users admitted without credentials.</summary>
    public const string AnonymousDirectory = "ANONYMOUS";

    /// <summary>Extra claims (from a ticket, JWT or the session API) kept with the session.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Attributes { get; init; } = [];

    /// <summary>For a SAML login: the identity provider's name for the user and session, which single logout sends back. Never forwarded.</summary>
    public Saml.SamlSubject? Saml { get; init; }

    public bool IsAnonymous => string.Equals(UserDirectory, AnonymousDirectory, StringComparison.OrdinalIgnoreCase);
}
