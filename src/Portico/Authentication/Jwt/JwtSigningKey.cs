using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.IdentityModel.Tokens;

namespace Portico.Authentication.Jwt;

/// <summary>
/// The one public key a JWT virtual proxy trusts, parsed once from <c>jwtPublicKeyCertificate</c>,
/// and the only signature algorithms that key may verify.
/// </summary>
/// <remarks>
/// <para>
/// Algorithms are pinned to the key type (RFC 8725 §3.1): an RSA key verifies RS256/RS384/RS512 and
/// PS256/PS384/PS512 (PKCS#1 v1.5 and PSS are both RSA signatures over the same public key, so
/// accepting PSS adds no new way to forge a token, and some issuers sign with it); an EC key verifies
/// only the one ES algorithm of its curve (RFC 7518 §3.4). HMAC is never accepted: a key here comes
/// from config and is public, so accepting HS* would let anyone holding the public key sign tokens
/// (the classic key-confusion attack, RFC 8725 §2.1).
/// </para>
/// <para>
/// A certificate is only a container for its public key, as in Qlik Sense: its validity dates,
/// key usage and chain are not checked.
/// </para>
/// </remarks>
internal sealed class JwtSigningKey
{
    /// <summary>What an admin has to paste; ends every parse error.</summary>
    public const string Expected = "paste a PEM certificate or PEM public key (RSA ≥ 2048 bits or EC)";

    /// <summary>RFC 7518 §3.3: "A key of size 2048 bits or larger MUST be used with these algorithms."</summary>
    public const int MinimumRsaKeySize = 2048;

    private static readonly string[] RsaAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
    ];

    // Named curves by OID, so that a platform's spelling of the friendly name does not matter.
    private static readonly (string Oid, string Name, string Algorithm)[] Curves =
    [
        ("1.2.840.10045.3.1.7", "P-256", SecurityAlgorithms.EcdsaSha256),
        ("1.3.132.0.34", "P-384", SecurityAlgorithms.EcdsaSha384),
        ("1.3.132.0.35", "P-521", SecurityAlgorithms.EcdsaSha512),
    ];

    private JwtSigningKey(SecurityKey securityKey, string description, IReadOnlyList<string> algorithms)
    {
        SecurityKey = securityKey;
        Description = description;
        Algorithms = algorithms;
    }

    /// <summary>The key as the token library wants it; never an HMAC key.</summary>
    public SecurityKey SecurityKey { get; }

    /// <summary>For messages and logs, e.g. "RSA 2048-bit" or "EC P-256".</summary>
    public string Description { get; }

    /// <summary>The JWS <c>alg</c> values this key may verify (RFC 7518 names, case-sensitive).</summary>
    public IReadOnlyList<string> Algorithms { get; }

    public bool Allows(string algorithm) => Algorithms.Contains(algorithm, StringComparer.Ordinal);

    /// <summary>
    /// Parses exactly one PEM block: <c>CERTIFICATE</c>, <c>PUBLIC KEY</c> (SubjectPublicKeyInfo) or
    /// <c>RSA PUBLIC KEY</c> (PKCS#1), holding an RSA key of at least 2048 bits or an EC key on P-256,
    /// P-384 or P-521. Anything else gives null and an error that says what to paste instead; the
    /// error never repeats the pasted text, which may be a secret.
    /// </summary>
    public static JwtSigningKey? TryParse(string? pem, out string? error)
    {
        try
        {
            return Parse(pem, out error);
        }
        catch (CryptographicException)
        {
            error = "cannot be read as a key: the PEM data is damaged or not a key; " + Expected;
            return null;
        }
    }

    private static JwtSigningKey? Parse(string? pem, out string? error)
    {
        if (string.IsNullOrWhiteSpace(pem))
        {
            error = "is empty; " + Expected;
            return null;
        }

        var blocks = FindPemBlocks(pem);
        if (blocks.Count == 0)
        {
            error = DescribeNonPem(pem);
            return null;
        }

        if (blocks.Any(b => b.Label.Contains("PRIVATE KEY", StringComparison.Ordinal)))
        {
            error = "holds a private key; the proxy only verifies signatures and must never hold the token issuer's private key, "
                + "so paste the matching certificate or public key instead: " + Expected;
            return null;
        }

        if (blocks.Count > 1)
        {
            error = $"holds {blocks.Count} PEM blocks; paste only the one certificate or public key that signs the tokens: " + Expected;
            return null;
        }

        var (label, der) = blocks[0];
        return label switch
        {
            "CERTIFICATE" => FromCertificate(der, out error),
            "PUBLIC KEY" => FromSubjectPublicKeyInfo(der, out error),
            "RSA PUBLIC KEY" => FromPkcs1(der, out error),
            _ => Unsupported(label, out error),
        };
    }

    private static List<(string Label, byte[] Der)> FindPemBlocks(string text)
    {
        var blocks = new List<(string, byte[])>();
        var remaining = text.AsSpan();
        while (PemEncoding.TryFind(remaining, out var fields))
        {
            var label = remaining[fields.Label].ToString();
            var der = Convert.FromBase64String(remaining[fields.Base64Data].ToString());
            blocks.Add((label, der));
            remaining = remaining[fields.Location.End..];
        }

        return blocks;
    }

    private static string DescribeNonPem(string text)
    {
        if (text.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            return "is not valid PEM: the text between the -----BEGIN and -----END lines is damaged; " + Expected;
        }

        // A one-line value without PEM armour is almost always a shared secret copied from an
        // HMAC setup. Say why that cannot work rather than just "not PEM".
        if (!text.Trim().Contains('\n', StringComparison.Ordinal))
        {
            return "looks like a shared secret: HMAC tokens (HS256/HS384/HS512) are not supported, because anyone who can read "
                + "the config could then mint tokens, and accepting HMAC next to public keys is what makes key-confusion "
                + "attacks possible (RFC 8725 §2.1); " + Expected;
        }

        return "is not PEM text; " + Expected + ", including its -----BEGIN and -----END lines";
    }

    private static JwtSigningKey? FromCertificate(byte[] der, out string? error)
    {
        using var certificate = X509CertificateLoader.LoadCertificate(der);
        using (var rsa = certificate.GetRSAPublicKey())
        {
            if (rsa is not null)
            {
                return FromRsa(rsa, out error);
            }
        }

        using (var ecdsa = certificate.GetECDsaPublicKey())
        {
            if (ecdsa is not null)
            {
                return FromECDsa(ecdsa, out error);
            }
        }

        error = "is a certificate whose key is neither RSA nor EC; " + Expected;
        return null;
    }

    private static JwtSigningKey? FromSubjectPublicKeyInfo(byte[] der, out string? error)
    {
        using (var rsa = RSA.Create())
        {
            if (TryImport(() => { rsa.ImportSubjectPublicKeyInfo(der, out var read); return read; }, der.Length))
            {
                return FromRsa(rsa, out error);
            }
        }

        using (var ecdsa = ECDsa.Create())
        {
            if (TryImport(() => { ecdsa.ImportSubjectPublicKeyInfo(der, out var read); return read; }, der.Length))
            {
                return FromECDsa(ecdsa, out error);
            }
        }

        error = "is labelled PUBLIC KEY but does not hold an RSA or EC public key; " + Expected;
        return null;
    }

    private static JwtSigningKey? FromPkcs1(byte[] der, out string? error)
    {
        using var rsa = RSA.Create();
        if (!TryImport(() => { rsa.ImportRSAPublicKey(der, out var read); return read; }, der.Length))
        {
            error = "is labelled RSA PUBLIC KEY but does not hold one; " + Expected;
            return null;
        }

        return FromRsa(rsa, out error);
    }

    /// <summary>An import counts only if it consumed the whole block: trailing bytes mean the paste is not what it claims.</summary>
    private static bool TryImport(Func<int> import, int length)
    {
        try
        {
            return import() == length;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static JwtSigningKey? FromRsa(RSA rsa, out string? error)
    {
        if (rsa.KeySize < MinimumRsaKeySize)
        {
            error = $"is an RSA key of {rsa.KeySize} bits; RSA keys need at least {MinimumRsaKeySize} bits (RFC 7518 §3.3); " + Expected;
            return null;
        }

        // Only the public parameters are kept; the library builds its own RSA object from them.
        error = null;
        return new JwtSigningKey(new RsaSecurityKey(rsa.ExportParameters(includePrivateParameters: false)), $"RSA {rsa.KeySize}-bit", RsaAlgorithms);
    }

    private static JwtSigningKey? FromECDsa(ECDsa ecdsa, out string? error)
    {
        var parameters = ecdsa.ExportParameters(includePrivateParameters: false);
        var oid = parameters.Curve.IsNamed ? parameters.Curve.Oid.Value : null;
        var curve = Curves.FirstOrDefault(c => c.Oid == oid);
        if (curve.Oid is null)
        {
            var name = parameters.Curve.IsNamed ? parameters.Curve.Oid.FriendlyName ?? oid ?? "unnamed" : "with explicit parameters";
            error = $"is an EC key on curve {name}; only P-256, P-384 and P-521 are supported (RFC 7518 §3.4); " + Expected;
            return null;
        }

        // The key outlives this method (it lives as long as the config that holds it), so the
        // ECDsa object is handed to the security key rather than disposed here.
        error = null;
        return new JwtSigningKey(new ECDsaSecurityKey(ECDsa.Create(parameters)), $"EC {curve.Name}", [curve.Algorithm]);
    }

    private static JwtSigningKey? Unsupported(string label, out string? error)
    {
        error = $"holds a PEM block labelled \"{label}\", which is not a certificate or public key; " + Expected;
        return null;
    }
}
