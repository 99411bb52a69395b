namespace Portico.Authentication.Oidc;

/// <summary>
/// What Portico remembers between sending the browser to the provider and its return: keyed by the
/// state, bound to the browser by the hash of its binding cookie, and used once.
/// </summary>
/// <param name="BrowserBindingHash">SHA-256 of the binding cookie's value; the value itself is only in the browser.</param>
/// <param name="Target">Where the user goes after login; null for the virtual proxy's hub.</param>
internal sealed record OidcPendingLogin(
    string VirtualProxyPrefix,
    byte[] BrowserBindingHash,
    string Nonce,
    string CodeVerifier,
    string RedirectUri,
    Uri? Target,
    DateTimeOffset ExpiresAt);
