using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Portico.DemoEngine.Identity;

/// <summary>Who a valid engine token names: the user and the groups it belongs to.</summary>
internal sealed record JwtUser(QlikUser User, IReadOnlyList<string> Groups);

/// <summary>
/// Validates the bearer tokens a proxy sends in Qlik Core's JWT mode: a signature by the configured
/// public key (RSA or EC algorithms only: a public key must never verify HMAC), a required and
/// unexpired <c>exp</c>, a <c>sub</c>. The user is <c>sub</c> in the directory the
/// <c>userDirectory</c> claim names; without that claim, a <c>DIRECTORY\user</c> subject is split,
/// and any other subject is a user of the directory <see cref="DefaultDirectory"/>.
/// </summary>
internal sealed class EngineJwtValidator
{
    public const string DefaultDirectory = "JWT";

    private static readonly string[] Algorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    private readonly JsonWebTokenHandler _handler = new();
    private readonly TokenValidationParameters _parameters;

    public EngineJwtValidator(string publicKeyPem, TimeProvider? time = null)
    {
        var clock = time ?? TimeProvider.System;
        _parameters = new TokenValidationParameters
        {
            IssuerSigningKey = ReadKey(publicKeyPem),
            ValidAlgorithms = Algorithms,
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            // The lifetime is judged on the injected clock (RFC 7519 §4.1.4), with a small skew.
            LifetimeValidator = (_, expires, _, _) => expires is { } exp && clock.GetUtcNow().UtcDateTime < exp.ToUniversalTime() + ClockSkew,
        };
    }

    /// <summary>The token's user, or null and why not (for the 401's log line; never the token itself).</summary>
    public async Task<(JwtUser? User, string? Refusal)> ValidateAsync(string bearer)
    {
        var result = await _handler.ValidateTokenAsync(bearer, _parameters).ConfigureAwait(false);
        if (!result.IsValid)
        {
            return (null, result.Exception?.GetType().Name ?? "invalid token");
        }

        var token = (JsonWebToken)result.SecurityToken;
        if (token.Subject is not { Length: > 0 } subject)
        {
            return (null, "no sub claim");
        }

        var (directory, id) = token.TryGetPayloadValue<string>("userDirectory", out var named) && named is { Length: > 0 }
            ? (named, subject)
            : subject.IndexOf('\\', StringComparison.Ordinal) is var slash and > 0 && slash < subject.Length - 1
                ? (subject[..slash], subject[(slash + 1)..])
                : (DefaultDirectory, subject);
        IReadOnlyList<string> groups = token.TryGetPayloadValue<List<string>>("groups", out var many) && many is not null
            ? many
            : token.TryGetPayloadValue<string>("groups", out var one) && one is not null ? [one] : [];
        return (new JwtUser(new QlikUser(directory, id), groups), null);
    }

    private static SecurityKey ReadKey(string pem)
    {
        if (pem.Contains("BEGIN CERTIFICATE", StringComparison.Ordinal))
        {
            using var certificate = X509Certificate2.CreateFromPem(pem);
            if (certificate.GetRSAPublicKey() is { } certificateRsa)
            {
                return new RsaSecurityKey(certificateRsa);
            }

            return new ECDsaSecurityKey(certificate.GetECDsaPublicKey() ?? throw new ArgumentException("The certificate holds neither an RSA nor an EC key.", nameof(pem)));
        }

        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            return new RsaSecurityKey(rsa);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            rsa.Dispose();
        }

        var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(pem);
        return new ECDsaSecurityKey(ecdsa);
    }
}
