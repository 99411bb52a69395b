using System.Security.Cryptography;
using Portico.Tests.Unit.Authentication.Jwt;

namespace Portico.Tests.Functional.Authentication;

/// <summary>JWTs signed by a key the test owns, valid on the real clock (functional tests run on it).</summary>
internal static class TestTokens
{
    public static readonly RSA Key = RSA.Create(2048);

    public static string PublicKeyPem => Key.ExportSubjectPublicKeyInfoPem();

    /// <param name="lifetime">How long the token is valid from now; ten minutes when null.</param>
    public static string Valid(string userId = "alice", string directory = "CORP", string audience = "portico-tests", TimeSpan? lifetime = null) =>
        TestJwt.Rs256(new Dictionary<string, object?>
        {
            ["userId"] = userId,
            ["userDirectory"] = directory,
            ["aud"] = audience,
            ["group"] = "Sales",
            ["exp"] = DateTimeOffset.UtcNow.Add(lifetime ?? TimeSpan.FromMinutes(10)).ToUnixTimeSeconds(),
            ["iat"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        }, Key);

    public static string AlgNone(string userId = "alice") =>
        TestJwt.Token(TestJwt.JwsHeader("none"), new Dictionary<string, object?>
        {
            ["userId"] = userId,
            ["userDirectory"] = "CORP",
            ["aud"] = "portico-tests",
            ["exp"] = DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds(),
        }, TestJwt.NoSignature);
}
