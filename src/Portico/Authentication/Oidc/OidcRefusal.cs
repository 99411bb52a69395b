namespace Portico.Authentication.Oidc;

/// <summary>
/// Why an OIDC login was refused. Each becomes the <c>reason</c> of an <c>oidc.refused</c> audit
/// event (docs/security.md, "OpenID Connect"); the codes are stable.
/// </summary>
internal enum OidcRefusal
{
    /// <summary>The callback carries no state, or one Portico never issued, or one already used or expired.</summary>
    StateUnknown,

    /// <summary>The state was issued to another browser: the binding cookie is missing or different (login CSRF).</summary>
    StateBrowserMismatch,

    /// <summary>The callback arrived on a path other than the configured redirect URI, or on another virtual proxy.</summary>
    RedirectMismatch,

    /// <summary>The provider answered the authorization request with an error.</summary>
    ProviderError,

    /// <summary>The callback carries no code.</summary>
    CodeMissing,

    /// <summary>This authorization code was already presented to Portico.</summary>
    CodeReplayed,

    /// <summary>The token endpoint refused the code or could not be reached.</summary>
    TokenEndpointError,

    /// <summary>The token response carries no id_token, or one that is not a signed JWT (a JWE, malformed, oversized).</summary>
    IdTokenInvalid,

    /// <summary>The id_token's alg is none, symmetric (HS*) or otherwise not an asymmetric signature.</summary>
    AlgorithmRefused,

    /// <summary>The signature does not verify with any of the provider's keys, even after a refresh.</summary>
    SignatureInvalid,

    /// <summary>The id_token's iss, or the callback's iss parameter, is not the provider's (mix-up).</summary>
    WrongIssuer,

    /// <summary>The id_token is not for this client (aud, azp).</summary>
    WrongAudience,

    /// <summary>The id_token has expired, is not yet valid, or has no exp.</summary>
    Expired,

    /// <summary>The id_token's nonce is missing or is not the one this login sent (replay).</summary>
    NonceMismatch,

    /// <summary>The id_token names no usable user (sub, a mandatory claim, a refused value).</summary>
    ClaimsInvalid,

    /// <summary>The provider's discovery document or keys could not be fetched or are not acceptable.</summary>
    DiscoveryFailed,
}

internal static class OidcRefusals
{
    /// <summary>Refusals any client can cause without a login of its own under way (no state, a foreign or used one, a misdirected callback).</summary>
    public static bool NeedsNoLoginStart(OidcRefusal refusal) =>
        refusal is OidcRefusal.StateUnknown or OidcRefusal.StateBrowserMismatch or OidcRefusal.RedirectMismatch;

    public static string Code(OidcRefusal refusal) => refusal switch
    {
        OidcRefusal.StateUnknown => "state_unknown",
        OidcRefusal.StateBrowserMismatch => "state_browser_mismatch",
        OidcRefusal.RedirectMismatch => "redirect_mismatch",
        OidcRefusal.ProviderError => "provider_error",
        OidcRefusal.CodeMissing => "code_missing",
        OidcRefusal.CodeReplayed => "code_replayed",
        OidcRefusal.TokenEndpointError => "token_endpoint_error",
        OidcRefusal.IdTokenInvalid => "id_token_invalid",
        OidcRefusal.AlgorithmRefused => "alg_refused",
        OidcRefusal.SignatureInvalid => "signature_invalid",
        OidcRefusal.WrongIssuer => "wrong_issuer",
        OidcRefusal.WrongAudience => "wrong_audience",
        OidcRefusal.Expired => "expired",
        OidcRefusal.NonceMismatch => "nonce_mismatch",
        OidcRefusal.ClaimsInvalid => "claims_invalid",
        OidcRefusal.DiscoveryFailed => "discovery_failed",
        _ => "refused",
    };
}

/// <summary>A refusal and its human-readable detail, which never contains a token, code, state or secret.</summary>
internal sealed record OidcFailure(OidcRefusal Refusal, string Detail)
{
    public string Code => OidcRefusals.Code(Refusal);
}
