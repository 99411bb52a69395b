using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Portico.Forwarding;

/// <summary>
/// The private key Portico signs engine tokens with, and the one algorithm it signs with. The
/// algorithm must fit the key (RFC 8725 §3.1, RFC 7518 §3.3/§3.4): RS256/384/512 need an RSA key of
/// at least 2048 bits, ES256/384/512 an EC key on P-256/P-384/P-521 respectively. HMAC is not
/// offered: the engine would then hold a secret that can mint tokens for any user.
/// </summary>
internal sealed class EngineSigningKey
{
    private const string Expected = "point it at an unencrypted PEM private key (RSA of at least 2048 bits, or EC P-256/P-384/P-521) whose public half the engine trusts";

    private static readonly string[] RsaAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512];

    private static readonly (string Oid, string Curve, string Algorithm)[] Curves =
    [
        ("1.2.840.10045.3.1.7", "P-256", SecurityAlgorithms.EcdsaSha256),
        ("1.3.132.0.34", "P-384", SecurityAlgorithms.EcdsaSha384),
        ("1.3.132.0.35", "P-521", SecurityAlgorithms.EcdsaSha512),
    ];

    private EngineSigningKey(SigningCredentials credentials) => Credentials = credentials;

    public SigningCredentials Credentials { get; }

    public string Algorithm => Credentials.Algorithm;

    /// <summary>The key and algorithm, or null and what to fix (the error never repeats key material).</summary>
    /// <param name="algorithm">The configured algorithm; null picks RS256 for RSA and the curve's ES algorithm for EC.</param>
    public static EngineSigningKey? TryParse(string pem, string? algorithm, out string? error)
    {
        if (!PemEncoding.TryFind(pem, out var fields))
        {
            error = "is not a PEM file; " + Expected;
            return null;
        }

        var label = pem.AsSpan()[fields.Label].ToString();
        if (label.Contains("ENCRYPTED", StringComparison.Ordinal) || pem.Contains("Proc-Type: 4,ENCRYPTED", StringComparison.Ordinal))
        {
            error = "is an encrypted private key; " + Expected;
            return null;
        }

        if (!label.Contains("PRIVATE KEY", StringComparison.Ordinal))
        {
            error = $"holds a PEM block labelled \"{label}\", not a private key; the engine keeps the public key, Portico the private one: " + Expected;
            return null;
        }

        var rsa = RSA.Create();
        if (TryImport(rsa, pem))
        {
            return FromRsa(rsa, algorithm, out error);
        }

        rsa.Dispose();
        var ecdsa = ECDsa.Create();
        if (TryImport(ecdsa, pem))
        {
            return FromECDsa(ecdsa, algorithm, out error);
        }

        ecdsa.Dispose();
        error = "holds no readable RSA or EC private key; " + Expected;
        return null;
    }

    private static bool TryImport(AsymmetricAlgorithm key, string pem)
    {
        try
        {
            key.ImportFromPem(pem);
            return true;
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            return false;
        }
    }

    private static EngineSigningKey? FromRsa(RSA rsa, string? algorithm, out string? error)
    {
        if (rsa.KeySize < 2048)
        {
            error = $"is an RSA key of {rsa.KeySize} bits; RSA keys need at least 2048 bits (RFC 7518 §3.3); " + Expected;
            rsa.Dispose();
            return null;
        }

        var chosen = algorithm ?? SecurityAlgorithms.RsaSha256;
        if (!RsaAlgorithms.Contains(chosen, StringComparer.Ordinal))
        {
            error = $"is an RSA key, which signs with RS256, RS384 or RS512, not \"{chosen}\"; set engineConnection.jwt.algorithm to one of those";
            rsa.Dispose();
            return null;
        }

        error = null;
        return new EngineSigningKey(new SigningCredentials(new RsaSecurityKey(rsa), chosen));
    }

    private static EngineSigningKey? FromECDsa(ECDsa ecdsa, string? algorithm, out string? error)
    {
        var parameters = ecdsa.ExportParameters(includePrivateParameters: false);
        var oid = parameters.Curve.IsNamed ? parameters.Curve.Oid.Value : null;
        var curve = Curves.FirstOrDefault(c => c.Oid == oid);
        if (curve.Oid is null)
        {
            error = "is an EC key on an unsupported curve; " + Expected;
            ecdsa.Dispose();
            return null;
        }

        var chosen = algorithm ?? curve.Algorithm;
        if (chosen != curve.Algorithm)
        {
            error = $"is an EC {curve.Curve} key, which signs with {curve.Algorithm} only, not \"{chosen}\"; set engineConnection.jwt.algorithm to {curve.Algorithm}";
            ecdsa.Dispose();
            return null;
        }

        error = null;
        return new EngineSigningKey(new SigningCredentials(new ECDsaSecurityKey(ecdsa), chosen));
    }
}
