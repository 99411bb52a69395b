using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Portico.Authentication.Jwt;

namespace Portico.Tests.Unit.Authentication.Jwt;

/// <summary>
/// Keys and hand-built compact JWS tokens. Tokens are assembled here byte by byte rather than with a
/// JWT library, because most of the interesting ones are tokens a library would refuse to create.
/// </summary>
internal static class TestJwt
{
    public static readonly DateTimeOffset Now = new(2030, 6, 1, 12, 0, 0, TimeSpan.Zero);

    // Key generation is slow, so the keys are made once per test run; they are never mutated.
    public static readonly RSA Rsa = RSA.Create(2048);
    public static readonly RSA OtherRsa = RSA.Create(2048);
    public static readonly ECDsa EcP256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public static string PublicKeyPem(AsymmetricAlgorithm key) => key.ExportSubjectPublicKeyInfoPem();

    public static JwtSigningKey SigningKey(AsymmetricAlgorithm key) =>
        JwtSigningKey.TryParse(PublicKeyPem(key), out var error) ?? throw new InvalidOperationException(error);

    public static JwtValidationPolicy Policy(AsymmetricAlgorithm key) => new()
    {
        Key = SigningKey(key),
        UserIdClaim = "sub",
        UserDirectoryClaim = "userDirectory",
    };

    public static string B64(byte[] bytes) => Base64Url.EncodeToString(bytes);

    public static string B64(string text) => B64(Encoding.UTF8.GetBytes(text));

    public static string Json(IReadOnlyDictionary<string, object?> values) => JsonSerializer.Serialize(values);

    /// <summary>Claims of a token that the default policy accepts: a user, a directory, valid for ten minutes.</summary>
    public static Dictionary<string, object?> ValidClaims() => new()
    {
        ["sub"] = "alice",
        ["userDirectory"] = "CORP",
        ["exp"] = Now.AddMinutes(10).ToUnixTimeSeconds(),
        ["nbf"] = Now.AddMinutes(-1).ToUnixTimeSeconds(),
        ["iat"] = Now.AddMinutes(-1).ToUnixTimeSeconds(),
    };

    public static Dictionary<string, object?> JwsHeader(string alg) => new() { ["alg"] = alg, ["typ"] = "JWT" };

    /// <summary>header.payload.signature, with the signature computed by <paramref name="sign"/> over the first two parts.</summary>
    public static string Token(string headerJson, string payloadJson, Func<byte[], byte[]> sign)
    {
        var signingInput = B64(headerJson) + "." + B64(payloadJson);
        return signingInput + "." + B64(sign(Encoding.ASCII.GetBytes(signingInput)));
    }

    public static string Token(IReadOnlyDictionary<string, object?> header, IReadOnlyDictionary<string, object?> claims, Func<byte[], byte[]> sign) =>
        Token(Json(header), Json(claims), sign);

    public static string Rs256(IReadOnlyDictionary<string, object?> claims, RSA? key = null) =>
        Token(JwsHeader("RS256"), claims, SignRsa(key ?? Rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    public static Func<byte[], byte[]> SignRsa(RSA key, HashAlgorithmName hash, RSASignaturePadding padding) =>
        data => key.SignData(data, hash, padding);

    /// <summary>JWS wants the raw r||s form (RFC 7518 §3.4), which is .NET's default.</summary>
    public static Func<byte[], byte[]> SignEc(ECDsa key, HashAlgorithmName hash) =>
        data => key.SignData(data, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    public static Func<byte[], byte[]> SignHs256(byte[] secret) => data => HMACSHA256.HashData(secret, data);

    public static Func<byte[], byte[]> NoSignature => _ => [];
}
