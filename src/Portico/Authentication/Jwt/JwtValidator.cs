using System.Buffers.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Portico.Http;

namespace Portico.Authentication.Jwt;

/// <summary>
/// Decides whether a compact JWS (RFC 7515) JWT names a user under a <see cref="JwtValidationPolicy"/>.
/// Pure: the time is passed in, nothing is fetched, nothing is cached between calls.
/// </summary>
/// <remarks>
/// The token library (Microsoft.IdentityModel.JsonWebTokens 8.23.0) checks the signature and the registered
/// claims; everything that decides which code paths of the library a token can reach is checked
/// here first, from our own strict parse. In particular a five-part (JWE) token never reaches it:
/// Portico accepts signed tokens only, and JWE decompression is where earlier versions of the library
/// had a denial-of-service bug (CVE-2024-21319).
/// </remarks>
internal static class JwtValidator
{
    /// <summary>Encoded header characters: honest headers are well under 200, but a refused x5c must still be read to be named.</summary>
    internal const int MaxHeaderLength = 4096;

    private const int MaxJsonDepth = 16;

    // Stateless once constructed and never mutated, so one instance serves every call.
    private static readonly JsonWebTokenHandler Handler = new();

    /// <summary>RFC 7519 §4.1: these describe the token, not the user, so they are never attributes.</summary>
    private static readonly HashSet<string> RegisteredClaims = new(StringComparer.Ordinal)
    {
        "iss", "sub", "aud", "exp", "nbf", "iat", "jti",
    };

    /// <summary>Header parameters that would make the token choose or carry its own key, or change how it is processed.</summary>
    private static readonly (string Name, string Reason)[] RefusedHeaderParameters =
    [
        ("jku", "header parameter jku is not accepted: the key comes only from config, nothing is fetched"),
        ("x5u", "header parameter x5u is not accepted: the key comes only from config, nothing is fetched"),
        ("jwk", "header parameter jwk is not accepted: a token cannot bring its own key"),
        ("x5c", "header parameter x5c is not accepted: a token cannot bring its own certificate"),
        ("crit", "header parameter crit is not accepted: no JWS extensions are supported (RFC 7515 §4.1.11)"),
        ("zip", "header parameter zip is not accepted: compressed tokens are refused"),
        ("enc", "encrypted tokens (JWE) are not accepted"),
        ("cty", "header parameter cty is not accepted: nested tokens are refused (RFC 7519 §5.2)"),
    ];

    /// <summary>Algorithm names a reason may repeat: only these fixed strings, never text taken from a token.</summary>
    private static readonly string[] KnownAlgorithms =
    [
        "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
        "ES256", "ES384", "ES512", "ES256K", "EdDSA",
    ];

    private static readonly JsonDocumentOptions StrictJson = new()
    {
        MaxDepth = MaxJsonDepth,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
    };

    public static JwtValidationResult Validate(string? token, JwtValidationPolicy policy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(policy);

        // 1. Shape, before any decoding: bounded length, compact serialization alphabet, exactly
        //    three parts. A five-part token is a JWE (RFC 7516 §7.1); it is refused here so the
        //    library's decompression path is unreachable.
        if (string.IsNullOrEmpty(token))
        {
            return Fail("no token");
        }

        if (token.Length > policy.MaxTokenLength)
        {
            return Fail($"token too large (more than {policy.MaxTokenLength} characters)");
        }

        if (!IsCompactSerialization(token))
        {
            return Fail("malformed token: only base64url characters and dots are allowed");
        }

        var dots = token.AsSpan().Count('.');
        if (dots == 4)
        {
            return Fail("encrypted tokens (JWE) are not accepted");
        }

        if (dots != 2)
        {
            return Fail("malformed token: expected three dot-separated parts");
        }

        var firstDot = token.IndexOf('.', StringComparison.Ordinal);
        var secondDot = token.IndexOf('.', firstDot + 1);
        var encodedHeader = token.AsSpan(0, firstDot);
        var encodedPayload = token.AsSpan(firstDot + 1, secondDot - firstDot - 1);
        var encodedSignature = token.AsSpan(secondDot + 1);

        // 2. Header, decoded here rather than by the library (RFC 8725 §3.1, §3.10).
        if (encodedHeader.Length > MaxHeaderLength)
        {
            return Fail("token header too large");
        }

        using var header = ParseJsonObject(encodedHeader, StringComparer.OrdinalIgnoreCase);
        if (header is null)
        {
            return Fail("malformed token: header is not a base64url-encoded JSON object with unique names and valid Unicode");
        }

        if (CheckHeader(header.RootElement, policy.Key) is { } headerProblem)
        {
            return Fail(headerProblem);
        }

        // 3. An unsigned token is never acceptable, whatever alg claims (RFC 8725 §3.1).
        if (encodedSignature.IsEmpty)
        {
            return Fail("token is not signed (empty signature)");
        }

        // 4. Claims set: a strict JSON object with unique claim names (RFC 7519 §4, §7.2 step 10).
        //    The user is read from this parse, so no claim can mean one thing to the library and
        //    another to us.
        using var payload = ParseJsonObject(encodedPayload, StringComparer.Ordinal);
        if (payload is null)
        {
            return Fail("malformed token: claims are not a base64url-encoded JSON object with unique names and valid Unicode");
        }

        var claims = payload.RootElement;
        if (CheckRegisteredClaims(claims) is { } claimProblem)
        {
            return Fail(claimProblem);
        }

        // 5. The user, checked in shape before any cryptography (the library refuses some shapes
        //    with a generic error). Both claims must be non-empty strings: a number or array is refused rather
        //    than converted, so "42" and 42 cannot both name the same user by accident.
        if (!TryGetNonEmptyString(claims, policy.UserIdClaim, out var userId))
        {
            return Fail($"user id claim '{policy.UserIdClaim}' is missing or not a non-empty string");
        }

        if (!TryGetNonEmptyString(claims, policy.UserDirectoryClaim, out var userDirectory))
        {
            return Fail($"user directory claim '{policy.UserDirectoryClaim}' is missing or not a non-empty string");
        }

        //    Then the identity rule every authentication method shares: no control or invisible
        //    characters, no whitespace at the ends, not the reserved ANONYMOUS directory.
        var user = UserIdentityRule.CheckUserId(userId, $"user id claim '{policy.UserIdClaim}'");
        if (user.IsValid)
        {
            user = UserIdentityRule.CheckUserDirectory(userDirectory, $"user directory claim '{policy.UserDirectoryClaim}'");
        }

        if (!user.IsValid)
        {
            return Fail(user.Reason);
        }

        // 6. Attributes from the remaining claims, under the same rule.
        var attributes = new List<KeyValuePair<string, string>>();
        if (ReadAttributes(claims, policy, attributes) is { } attributeProblem)
        {
            return Fail(attributeProblem);
        }

        // 7. Signature, lifetime, audience and issuer, by the library, with our key only.
        if (VerifyWithLibrary(token, policy, now, claims, out var expiresAt) is { } libraryProblem)
        {
            return Fail(libraryProblem);
        }

        return JwtValidationResult.Success(userDirectory, userId, attributes, expiresAt);
    }

    private static JwtValidationResult Fail(string reason) => JwtValidationResult.Failure(reason);

    private static bool IsCompactSerialization(string token)
    {
        foreach (var c in token)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Base64url without padding → strict JSON whose root is an object with no repeated member
    /// name (compared with <paramref name="names"/>) and no string that is invalid Unicode (an
    /// escaped unpaired surrogate would throw when read); null for anything else.
    /// </summary>
    private static JsonDocument? ParseJsonObject(ReadOnlySpan<char> encoded, StringComparer names)
    {
        if (encoded.IsEmpty)
        {
            return null;
        }

        JsonDocument? document = null;
        try
        {
            document = JsonDocument.Parse(Base64Url.DecodeFromChars(encoded), StrictJson);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !JsonStrings.AreValidUnicode(document.RootElement)
                || HasRepeatedNames(document.RootElement, names))
            {
                document.Dispose();
                return null;
            }

            return document;
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            document?.Dispose();
            return null;
        }
    }

    private static bool HasRepeatedNames(JsonElement obj, StringComparer names)
    {
        var seen = new HashSet<string>(names);
        foreach (var property in obj.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                return true;
            }
        }

        return false;
    }

    private static string? CheckHeader(JsonElement header, JwtSigningKey key)
    {
        // alg must be one of the algorithms pinned to the configured key. That alone refuses
        // "none" in any spelling and HS* (key confusion, RFC 8725 §2.1, §3.1).
        if (!header.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String)
        {
            return "token header has no alg";
        }

        var algorithm = alg.GetString()!;
        if (string.Equals(algorithm, "none", StringComparison.OrdinalIgnoreCase))
        {
            return "algorithm none is not accepted (unsigned token)";
        }

        if (!key.Allows(algorithm))
        {
            var known = KnownAlgorithms.FirstOrDefault(a => string.Equals(a, algorithm, StringComparison.Ordinal));
            return $"algorithm {known ?? "(unknown)"} is not allowed for the configured {key.Description} key (allowed: {string.Join(", ", key.Algorithms)})";
        }

        // Names are compared case-insensitively: "JKU" is not a registered parameter, but a parser
        // somewhere downstream might treat it as one, and no honest issuer sends it.
        foreach (var property in header.EnumerateObject())
        {
            foreach (var (name, reason) in RefusedHeaderParameters)
            {
                if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    return reason;
                }
            }
        }

        // kid is deliberately not read: there is exactly one configured key, so a kid crafted as a
        // path, SQL or URL (RFC 8725 §3.10) has nothing to select.
        if (header.TryGetProperty("typ", out var typ)
            && (typ.ValueKind != JsonValueKind.String || !string.Equals(typ.GetString(), "JWT", StringComparison.OrdinalIgnoreCase)))
        {
            return "token type (typ) is not JWT";
        }

        return null;
    }

    /// <summary>
    /// A token must expire (RFC 7519 leaves exp optional; an unexpiring bearer token is never
    /// acceptable here). NumericDate claims must be JSON numbers (RFC 7519 §2), the issuer a string.
    /// </summary>
    private static string? CheckRegisteredClaims(JsonElement claims)
    {
        if (!claims.TryGetProperty("exp", out _))
        {
            return "token has no expiry (exp)";
        }

        foreach (var name in (string[])["exp", "nbf", "iat"])
        {
            if (claims.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Number)
            {
                return $"claim {name} is not a NumericDate";
            }
        }

        if (claims.TryGetProperty("iss", out var iss) && iss.ValueKind != JsonValueKind.String)
        {
            return "claim iss is not a string";
        }

        return null;
    }

    private static string? VerifyWithLibrary(string token, JwtValidationPolicy policy, DateTimeOffset now, JsonElement claims, out DateTimeOffset? expiresAt)
    {
        DateTime? validatedExpiry = null;
        var key = policy.Key.SecurityKey;
        var parameters = new TokenValidationParameters
        {
            // One key, from config. The resolver ignores kid/x5t, so the token cannot pick
            // another key, and no key is ever looked up elsewhere (this library version has no
            // metadata retrieval on this path, and none is configured). The resolver is also what
            // makes the key usable at all: with TryAllIssuerSigningKeys off, this version matches
            // IssuerSigningKey only by kid and would otherwise find no key.
            IssuerSigningKey = key,
            IssuerSigningKeyResolver = (_, _, _, _) => [key],
            TryAllIssuerSigningKeys = false,
            ValidAlgorithms = policy.Key.Algorithms,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = false,

            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = policy.ClockSkew,
            LifetimeValidator = (notBefore, expires, _, _) =>
            {
                CheckLifetime(notBefore, expires, now, policy.ClockSkew);
                validatedExpiry = expires;
                return true;
            },

            ValidateAudience = policy.Audience is not null,
            RequireAudience = policy.Audience is not null,
            ValidAudience = policy.Audience,
            IgnoreTrailingSlashWhenValidatingAudience = false,

            ValidateIssuer = policy.Issuer is not null,
            ValidIssuer = policy.Issuer,

            ValidateActor = false,
            ValidateTokenReplay = false,
            SaveSigninToken = false,
        };

        expiresAt = null;
        TokenValidationResult result;
        try
        {
            // With a key given in the parameters (no configuration manager) the library does no I/O
            // and the task has already completed: waiting on it blocks nothing.
            result = Handler.ValidateTokenAsync(token, parameters).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Whatever the library throws on hostile input is a refusal, never a crash of the request.
            return ReasonFor(ex, claims);
        }

        if (!result.IsValid)
        {
            return ReasonFor(result.Exception, claims);
        }

        // The lifetime validator must have run; if it did not, the expiry was never checked.
        if (validatedExpiry is not { } expiry)
        {
            return "token has no expiry (exp)";
        }

        expiresAt = new DateTimeOffset(DateTime.SpecifyKind(expiry, DateTimeKind.Utc));
        return null;
    }

    /// <summary>
    /// RFC 7519 §4.1.4: the current time must be before <c>exp</c>; §4.1.5: at or after
    /// <c>nbf</c>; each widened by the configured skew. The injected time is used, never the clock.
    /// </summary>
    /// <remarks>
    /// This library version hands a custom validator <see cref="DateTime.MinValue"/> rather than null
    /// for an absent claim, so MinValue is read as "absent".
    /// </remarks>
    private static void CheckLifetime(DateTime? notBefore, DateTime? expires, DateTimeOffset now, TimeSpan skew)
    {
        if (expires is not { } exp || exp == DateTime.MinValue)
        {
            throw new SecurityTokenNoExpirationException();
        }

        if (notBefore == DateTime.MinValue)
        {
            notBefore = null;
        }

        if (notBefore is { } nbf && nbf > exp)
        {
            throw new SecurityTokenInvalidLifetimeException();
        }

        var nowUtc = now.UtcDateTime;
        if (nowUtc - skew >= exp)
        {
            throw new SecurityTokenExpiredException();
        }

        if (notBefore is { } start && nowUtc + skew < start)
        {
            throw new SecurityTokenNotYetValidException();
        }
    }

    /// <summary>Generic reasons only: library messages can quote the token.</summary>
    private static string ReasonFor(Exception? exception, JsonElement claims) => exception switch
    {
        SecurityTokenExpiredException => "token expired",
        SecurityTokenNotYetValidException => "token not yet valid",
        SecurityTokenNoExpirationException => "token has no expiry (exp)",
        SecurityTokenInvalidLifetimeException => "token lifetime invalid (nbf after exp)",
        SecurityTokenInvalidAudienceException => claims.TryGetProperty("aud", out _) ? "audience mismatch" : "audience missing",
        SecurityTokenInvalidIssuerException => claims.TryGetProperty("iss", out _) ? "issuer mismatch" : "issuer missing",
        SecurityTokenInvalidAlgorithmException => "algorithm not allowed for the configured key",
        SecurityTokenInvalidSignatureException => "signature invalid",
        _ => "token invalid",
    };

    private static bool TryGetNonEmptyString(JsonElement claims, string name, out string value)
    {
        value = "";
        if (!claims.TryGetProperty(name, out var element) || element.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        value = element.GetString()!;
        return !string.IsNullOrWhiteSpace(value);
    }

    /// <summary>Fills <paramref name="attributes"/> from the claims the policy names, or all others; returns why a claim is refused, or null.</summary>
    private static string? ReadAttributes(JsonElement claims, JwtValidationPolicy policy, List<KeyValuePair<string, string>> attributes)
    {
        if (policy.AttributeClaims is { } named)
        {
            foreach (var name in named)
            {
                if (claims.TryGetProperty(name, out var value) && AddStrings(attributes, name, value, nameFromConfig: true) is { } problem)
                {
                    return problem;
                }
            }

            return null;
        }

        foreach (var claim in claims.EnumerateObject())
        {
            if (RegisteredClaims.Contains(claim.Name)
                || string.Equals(claim.Name, policy.UserIdClaim, StringComparison.Ordinal)
                || string.Equals(claim.Name, policy.UserDirectoryClaim, StringComparison.Ordinal))
            {
                continue;
            }

            if (AddStrings(attributes, claim.Name, claim.Value, nameFromConfig: false) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    /// <summary>
    /// A string gives one attribute, an array of strings one per element; anything else none. Returns
    /// why the claim breaks the identity rule, or null. A reason names the claim only when the
    /// configuration lists it: a name chosen by the token is never repeated.
    /// </summary>
    private static string? AddStrings(List<KeyValuePair<string, string>> attributes, string name, JsonElement value, bool nameFromConfig)
    {
        if (value.ValueKind != JsonValueKind.String
            && (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String)))
        {
            return null;
        }

        var field = nameFromConfig ? $"attribute claim '{name}'" : "an attribute claim";
        var check = UserIdentityRule.CheckAttributeName(name, field + " name");
        if (!check.IsValid)
        {
            return check.Reason;
        }

        var values = value.ValueKind == JsonValueKind.String ? [value] : value.EnumerateArray().ToArray();
        foreach (var element in values)
        {
            var text = element.GetString()!;
            check = UserIdentityRule.CheckAttributeValue(text, field);
            if (!check.IsValid)
            {
                return check.Reason;
            }

            attributes.Add(new(name, text));
        }

        return null;
    }
}
