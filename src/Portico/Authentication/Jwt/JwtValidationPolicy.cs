using Portico.Configuration;

namespace Portico.Authentication.Jwt;

/// <summary>What a JWT must satisfy on one virtual proxy, and how its claims become a user.</summary>
internal sealed record JwtValidationPolicy
{
    public static readonly TimeSpan DefaultClockSkew = TimeSpan.FromSeconds(60);

    public const int DefaultMaxTokenLength = 8192;

    public required JwtSigningKey Key { get; init; }

    /// <summary>Claim holding the user id (Qlik's <c>jwtAttributeUserId</c>).</summary>
    public required string UserIdClaim { get; init; }

    /// <summary>Claim holding the user directory (Qlik's <c>jwtAttributeUserDirectory</c>).</summary>
    public required string UserDirectoryClaim { get; init; }

    /// <summary>When set, <c>aud</c> must be present and contain exactly this value; when null any <c>aud</c> passes.</summary>
    public string? Audience { get; init; }

    /// <summary>When set, <c>iss</c> must be present and equal this value; when null any <c>iss</c> passes.</summary>
    public string? Issuer { get; init; }

    /// <summary>Tolerance for clocks that disagree with the issuer's, applied to <c>exp</c> and <c>nbf</c>.</summary>
    public TimeSpan ClockSkew { get; init; } = DefaultClockSkew;

    /// <summary>Longer tokens are refused before any decoding.</summary>
    public int MaxTokenLength { get; init; } = DefaultMaxTokenLength;

    /// <summary>
    /// Claims copied into the user's attributes, in this order. Null means every claim that is a
    /// string or an array of strings, except the registered claims of RFC 7519 §4.1 and the user id
    /// and user directory claims.
    /// </summary>
    public IReadOnlyList<string>? AttributeClaims { get; init; }

    /// <summary>
    /// The policy of a JWT virtual proxy. The config must have passed validation (JwtRules), which
    /// guarantees the claim names; an empty audience or issuer means "not checked", as in the QMC.
    /// </summary>
    public static JwtValidationPolicy FromConfig(VirtualProxyConfig vp, JwtSigningKey key)
    {
        ArgumentNullException.ThrowIfNull(vp);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrWhiteSpace(vp.JwtAttributeUserId, "vp.JwtAttributeUserId");
        ArgumentException.ThrowIfNullOrWhiteSpace(vp.JwtAttributeUserDirectory, "vp.JwtAttributeUserDirectory");

        return new JwtValidationPolicy
        {
            Key = key,
            UserIdClaim = vp.JwtAttributeUserId,
            UserDirectoryClaim = vp.JwtAttributeUserDirectory,
            Audience = string.IsNullOrWhiteSpace(vp.JwtAudience) ? null : vp.JwtAudience,
            Issuer = string.IsNullOrWhiteSpace(vp.JwtIssuer) ? null : vp.JwtIssuer,
        };
    }
}
