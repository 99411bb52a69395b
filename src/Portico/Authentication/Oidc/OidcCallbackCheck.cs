using System.Security.Cryptography;
using System.Text;

namespace Portico.Authentication.Oidc;

/// <summary>What the provider sent back to the redirect URI, as read from the query string.</summary>
internal sealed record OidcCallback(string? State, string? Code, string? Error, string? Issuer);

/// <summary>
/// The checks of a callback before any request to the provider (OpenID Connect Core §3.1.2.7,
/// RFC 6749 §10.12, RFC 9207, RFC 9700 §4.1–4.5). Pure: the pending login was already taken from
/// the store (so the state is used up whatever this decides).
/// </summary>
internal static class OidcCallbackCheck
{
    /// <param name="pending">The login the state named; null when it named none.</param>
    /// <param name="bindingCookie">The browser's binding cookie; null when it sent none.</param>
    /// <param name="virtualProxyPrefix">The virtual proxy the callback arrived on.</param>
    /// <param name="providerIssuer">The issuer of the provider's discovery document.</param>
    /// <returns>Null when the code may be exchanged.</returns>
    public static OidcFailure? Judge(OidcCallback callback, OidcPendingLogin? pending, string? bindingCookie, string virtualProxyPrefix, string providerIssuer)
    {
        // 1. The state must be one Portico issued and has not used yet.
        if (pending is null)
        {
            return new(OidcRefusal.StateUnknown, string.IsNullOrEmpty(callback.State) ? "the callback carries no state" : "the state is unknown, expired or already used");
        }

        // 2. Only on the virtual proxy that sent the user, whose redirect URI it is.
        if (!string.Equals(pending.VirtualProxyPrefix, virtualProxyPrefix, StringComparison.Ordinal))
        {
            return new(OidcRefusal.RedirectMismatch, "the state was issued for another virtual proxy's redirect URI");
        }

        // 3. Only in the browser that started the login: an attacker's own state, planted in a
        //    victim's browser, would log the victim in as the attacker (login CSRF).
        if (bindingCookie is null || !CryptographicOperations.FixedTimeEquals(Hash(bindingCookie), pending.BrowserBindingHash))
        {
            return new(OidcRefusal.StateBrowserMismatch, bindingCookie is null ? "the browser sent no login binding cookie" : "the login was started in another browser");
        }

        // 4. RFC 9207: an iss in the response must be the provider this login was sent to (mix-up).
        if (callback.Issuer is { } issuer && !string.Equals(issuer, providerIssuer, StringComparison.Ordinal))
        {
            return new(OidcRefusal.WrongIssuer, "the callback's iss parameter is not this provider's issuer");
        }

        // 5. The provider's own refusal (the user cancelled, consent was denied...).
        if (callback.Error is { } error)
        {
            return new(OidcRefusal.ProviderError, "the provider answered with error " + SafeErrorCode(error));
        }

        return string.IsNullOrEmpty(callback.Code) ? new(OidcRefusal.CodeMissing, "the callback carries no code") : null;
    }

    /// <summary>
    /// RFC 6749 §5.2: error codes are printable ASCII without quote or backslash; anything else
    /// (or an over-long one) is not repeated, since it lands in logs.
    /// </summary>
    public static string SafeErrorCode(string error) =>
        error.Length <= 64 && error.All(c => c is >= (char)0x20 and <= (char)0x7e and not '"' and not '\\') ? error : "(unprintable)";

    public static byte[] Hash(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));
}
