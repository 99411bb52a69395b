namespace Portico.Authentication.Saml;

/// <summary>The identity provider's names for a SAML login, kept with the session for single logout.</summary>
internal sealed record SamlSubject(string NameId, string? SessionIndex);
