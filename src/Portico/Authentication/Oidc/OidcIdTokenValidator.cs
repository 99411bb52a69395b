using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Portico.Authentication.Oidc;

/// <summary>What an id_token must satisfy: the provider's issuer and keys, this client, this login's nonce.</summary>
internal sealed record OidcTokenExpectations
{
    public required string Issuer { get; init; }

    public required string ClientId { get; init; }

    public required string Nonce { get; init; }

    public required IReadOnlyCollection<SecurityKey> SigningKeys { get; init; }

    public required DateTimeOffset Now { get; init; }

    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>The id_token's claims (a JSON object) when valid, or why it is not.</summary>
internal sealed record OidcTokenValidation(JsonDocument? Claims, OidcFailure? Failure)
{
    /// <summary>True when no key of the provider carries the token's kid: the caller refreshes the keys once and tries again.</summary>
    public bool UnknownKey { get; init; }
}

/// <summary>
/// Validates an id_token (OpenID Connect Core §3.1.3.7) with Microsoft.IdentityModel.JsonWebTokens:
/// signature with the provider's published keys, issuer, audience, lifetime; then azp and the
/// nonce. Decisions about which library paths a token may reach are taken here first: a JWE
/// (five parts) never reaches the library, as for JWT virtual proxies, and only asymmetric
/// signature algorithms are accepted, so "none" and HS* signed with a public key are refused
/// (RFC 8725 §3.1–3.2).
/// </summary>
internal static class OidcIdTokenValidator
{
    public const int MaxTokenLength = 16 * 1024;

    /// <summary>Asymmetric JWS algorithms (RFC 7518 §3.1, RFC 8037): never none, never an HMAC.</summary>
    public static readonly IReadOnlyList<string> AllowedAlgorithms =
    [
        "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512",
    ];

    // Stateless once constructed, so one instance serves every call.
    private static readonly JsonWebTokenHandler Handler = new();

    public static async Task<OidcTokenValidation> ValidateAsync(string? idToken, OidcTokenExpectations expected)
    {
        // 1. Shape: present, bounded, compact JWS (three parts); a JWE is refused unread.
        if (string.IsNullOrEmpty(idToken))
        {
            return Fail(OidcRefusal.IdTokenInvalid, "the token response carries no id_token");
        }

        if (idToken.Length > MaxTokenLength)
        {
            return Fail(OidcRefusal.IdTokenInvalid, $"the id_token is longer than {MaxTokenLength} characters");
        }

        var dots = idToken.AsSpan().Count('.');
        if (dots == 4)
        {
            return Fail(OidcRefusal.IdTokenInvalid, "encrypted id_tokens (JWE) are not accepted");
        }

        if (dots != 2 || !idToken.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            return Fail(OidcRefusal.IdTokenInvalid, "the id_token is not a compact signed JWT");
        }

        // 2. The algorithm, before any key is looked at.
        string? algorithm;
        try
        {
            algorithm = new JsonWebToken(idToken).Alg;
        }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenMalformedException or JsonException or FormatException)
        {
            return Fail(OidcRefusal.IdTokenInvalid, "the id_token's header or claims cannot be read");
        }

        if (algorithm is null || !AllowedAlgorithms.Contains(algorithm, StringComparer.Ordinal))
        {
            return Fail(OidcRefusal.AlgorithmRefused, "the id_token's alg is " + (KnownName(algorithm) ?? "not an asymmetric signature algorithm") + "; only asymmetric signatures are accepted");
        }

        if (idToken.EndsWith('.'))
        {
            return Fail(OidcRefusal.SignatureInvalid, "the id_token is not signed");
        }

        // 3. Signature, issuer, audience and lifetime, by the library, with the provider's keys only.
        var now = expected.Now;
        var parameters = new TokenValidationParameters
        {
            IssuerSigningKeys = expected.SigningKeys,
            ValidAlgorithms = AllowedAlgorithms,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = false,
            TryAllIssuerSigningKeys = false,
            ValidIssuer = expected.Issuer,
            ValidateIssuer = true,
            ValidAudience = expected.ClientId,
            ValidateAudience = true,
            RequireAudience = true,
            IgnoreTrailingSlashWhenValidatingAudience = false,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = expected.ClockSkew,
            LifetimeValidator = (notBefore, expires, _, _) => CheckLifetime(notBefore, expires, now, expected.ClockSkew),
            ValidateTokenReplay = false,
            SaveSigninToken = false,
        };

        TokenValidationResult result;
        try
        {
            result = await Handler.ValidateTokenAsync(idToken, parameters);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return FromException(ex);
        }

        if (!result.IsValid)
        {
            return FromException(result.Exception);
        }

        // 4. The claims, decoded once from the validated token for the checks below and the mapping.
        var token = (JsonWebToken)result.SecurityToken;
        JsonDocument claims;
        try
        {
            claims = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(token.EncodedPayload));
        }
        catch (Exception ex) when (ex is JsonException or FormatException or ArgumentException)
        {
            return Fail(OidcRefusal.IdTokenInvalid, "the id_token's claims are not a JSON object");
        }

        var failure = CheckAuthorizedParty(claims.RootElement, expected.ClientId) ?? CheckNonce(claims.RootElement, expected.Nonce);
        if (failure is not null)
        {
            claims.Dispose();
            return new OidcTokenValidation(null, failure);
        }

        return new OidcTokenValidation(claims, null);
    }

    /// <summary>Core §3.1.3.7 items 4–5: with several audiences, azp must be present and name this client; when present it must anyway.</summary>
    public static OidcFailure? CheckAuthorizedParty(JsonElement claims, string clientId)
    {
        var several = claims.TryGetProperty("aud", out var aud) && aud.ValueKind == JsonValueKind.Array && aud.GetArrayLength() > 1;
        if (claims.TryGetProperty("azp", out var azp))
        {
            return azp.ValueKind == JsonValueKind.String && azp.GetString() == clientId
                ? null
                : new(OidcRefusal.WrongAudience, "the id_token's azp is not this client");
        }

        return several ? new(OidcRefusal.WrongAudience, "the id_token has several audiences and no azp") : null;
    }

    /// <summary>Core §3.1.3.7 item 11: the nonce must be the one this login sent; compared in constant time.</summary>
    public static OidcFailure? CheckNonce(JsonElement claims, string expectedNonce)
    {
        if (!claims.TryGetProperty("nonce", out var nonce) || nonce.ValueKind != JsonValueKind.String || nonce.GetString() is not { } value)
        {
            return new(OidcRefusal.NonceMismatch, "the id_token carries no nonce");
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(value), Encoding.UTF8.GetBytes(expectedNonce))
            ? null
            : new(OidcRefusal.NonceMismatch, "the id_token's nonce is not the one this login sent (a replayed or foreign token)");
    }

    private static bool CheckLifetime(DateTime? notBefore, DateTime? expires, DateTimeOffset now, TimeSpan skew)
    {
        if (expires is null)
        {
            throw new SecurityTokenNoExpirationException("the id_token has no exp");
        }

        if (now.UtcDateTime > expires.Value.ToUniversalTime() + skew)
        {
            throw new SecurityTokenExpiredException("the id_token has expired");
        }

        if (notBefore is { } nbf && now.UtcDateTime + skew < nbf.ToUniversalTime())
        {
            throw new SecurityTokenNotYetValidException("the id_token is not valid yet");
        }

        return true;
    }

    private static OidcTokenValidation FromException(Exception? ex) => ex switch
    {
        SecurityTokenSignatureKeyNotFoundException => Fail(OidcRefusal.SignatureInvalid, "no key of the provider matches the id_token's kid") with { UnknownKey = true },
        SecurityTokenInvalidSignatureException => Fail(OidcRefusal.SignatureInvalid, "the id_token's signature does not verify"),
        SecurityTokenInvalidAlgorithmException => Fail(OidcRefusal.AlgorithmRefused, "the id_token's algorithm is not accepted"),
        SecurityTokenInvalidIssuerException => Fail(OidcRefusal.WrongIssuer, "the id_token's iss is not the provider's issuer"),
        SecurityTokenInvalidAudienceException => Fail(OidcRefusal.WrongAudience, "the id_token's aud is not this client"),
        SecurityTokenNoExpirationException => Fail(OidcRefusal.Expired, "the id_token has no exp"),
        SecurityTokenExpiredException => Fail(OidcRefusal.Expired, "the id_token has expired"),
        SecurityTokenNotYetValidException => Fail(OidcRefusal.Expired, "the id_token is not valid yet"),
        SecurityTokenInvalidLifetimeException => Fail(OidcRefusal.Expired, "the id_token's lifetime is not valid"),
        _ => Fail(OidcRefusal.IdTokenInvalid, "the id_token is not valid (" + (ex?.GetType().Name ?? "unknown reason") + ")"),
    };

    /// <summary>Only fixed names are repeated in a reason, never text taken from a token.</summary>
    private static string? KnownName(string? algorithm) =>
        algorithm is null ? null
        : string.Equals(algorithm, "none", StringComparison.OrdinalIgnoreCase) ? "none"
        : algorithm is "HS256" or "HS384" or "HS512" ? algorithm + " (symmetric)"
        : null;

    private static OidcTokenValidation Fail(OidcRefusal refusal, string detail) => new(null, new OidcFailure(refusal, detail));
}
