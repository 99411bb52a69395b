namespace Portico.Authentication;

/// <summary>
/// Where the short-lived state of logins in progress lives when several nodes share it (cluster
/// mode): OIDC's pending logins and presented codes, SAML's outstanding AuthnRequests, OIDC's
/// logout hints. A login started on one node can then end on another. Each entry is stored once
/// under its kind and key and taken once; the rules (lifetime, bounds, what an entry must match)
/// stay with the stores that use it.
/// </summary>
internal interface ISharedLoginStateStorage
{
    /// <returns>False when an entry of that kind and key exists already or the kind holds <paramref name="capacity"/> live entries; nothing is stored then.</returns>
    ValueTask<bool> TryAddAsync(string kind, string key, string payload, DateTimeOffset expiresAt, int capacity, CancellationToken cancellationToken);

    /// <summary>Removes the entry and returns its payload; null when none is live. Of callers racing for one entry, exactly one gets it.</summary>
    ValueTask<string?> TakeAsync(string kind, string key, DateTimeOffset now, CancellationToken cancellationToken);
}
