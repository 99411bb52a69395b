namespace Portico.Configuration;

/// <summary>
/// The web console (docs/console.md): served at <c>/{virtualProxy}/console/</c> to the users and
/// groups listed here, who sign in with that virtual proxy's login. Absent: no console.
/// </summary>
public sealed record ConsoleConfig
{
    /// <summary>The prefix of the virtual proxy whose login admins use; it must not admit anonymous users.</summary>
    public string? VirtualProxy { get; init; }

    /// <summary>Admins by name, <c>DIRECTORY\user</c>, compared case-insensitively.</summary>
    public IReadOnlyList<string> AdminUsers { get; init; } = [];

    /// <summary>Admins by the <c>Group</c> attributes of their session (from the ticket, JWT, SAML or OIDC login), compared case-insensitively.</summary>
    public IReadOnlyList<string> AdminGroups { get; init; } = [];
}
