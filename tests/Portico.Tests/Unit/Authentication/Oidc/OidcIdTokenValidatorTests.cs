using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Portico.Authentication.Oidc;

namespace Portico.Tests.Unit.Authentication.Oidc;

public sealed class OidcIdTokenValidatorTests
{
    private static readonly DateTimeOffset Now = new(2030, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly RSA Rsa = RSA.Create(2048);
    private static readonly RsaSecurityKey Key = new(Rsa) { KeyId = "k1" };
    private const string Issuer = "https://login.example.com";

    private static OidcTokenExpectations Expected(string nonce = "n-1") => new()
    {
        Issuer = Issuer,
        ClientId = "portico",
        Nonce = nonce,
        SigningKeys = [Key],
        Now = Now,
    };

    private static Dictionary<string, object> Claims() => new()
    {
        ["iss"] = Issuer,
        ["aud"] = "portico",
        ["sub"] = "alice",
        ["nonce"] = "n-1",
        ["iat"] = Now.ToUnixTimeSeconds(),
        ["exp"] = Now.AddMinutes(5).ToUnixTimeSeconds(),
    };

    private static string Sign(Dictionary<string, object> claims, SecurityKey? key = null, string algorithm = SecurityAlgorithms.RsaSha256) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(JsonSerializer.Serialize(claims), new SigningCredentials(key ?? Key, algorithm));

    private static async Task<OidcFailure?> FailureOf(string token, OidcTokenExpectations? expected = null)
    {
        var result = await OidcIdTokenValidator.ValidateAsync(token, expected ?? Expected());
        result.Claims?.Dispose();
        return result.Failure;
    }

    [Fact]
    public async Task Validate_GoodToken_ClaimsReturned()
    {
        var result = await OidcIdTokenValidator.ValidateAsync(Sign(Claims()), Expected());

        Assert.Null(result.Failure);
        Assert.Equal("alice", result.Claims!.RootElement.GetProperty("sub").GetString());
        result.Claims.Dispose();
    }

    [Fact]
    public async Task Validate_AlgNone_AlgRefused()
    {
        var token = Base64UrlEncoder.Encode("{\"alg\":\"none\"}") + "." + Base64UrlEncoder.Encode(JsonSerializer.Serialize(Claims())) + ".";

        var failure = await FailureOf(token);

        Assert.Equal(OidcRefusal.AlgorithmRefused, failure!.Refusal);
        Assert.Contains("none", failure.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_Hs256WithPublicKeyAsSecret_AlgRefused()
    {
        var secret = new SymmetricSecurityKey(System.Text.Encoding.ASCII.GetBytes(Rsa.ExportSubjectPublicKeyInfoPem())) { KeyId = "k1" };

        Assert.Equal(OidcRefusal.AlgorithmRefused, (await FailureOf(Sign(Claims(), secret, SecurityAlgorithms.HmacSha256)))!.Refusal);
    }

    [Fact]
    public async Task Validate_Jwe_RefusedUnread() =>
        Assert.Equal(OidcRefusal.IdTokenInvalid, (await FailureOf("eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d"))!.Refusal);

    [Fact]
    public async Task Validate_TooLong_Refused() =>
        Assert.Equal(OidcRefusal.IdTokenInvalid, (await FailureOf(new string('a', OidcIdTokenValidator.MaxTokenLength + 1)))!.Refusal);

    [Theory]
    [InlineData("aud", "someone-else", "WrongAudience")]
    [InlineData("iss", "https://evil.example.com", "WrongIssuer")]
    [InlineData("nonce", "n-0", "NonceMismatch")]
    [InlineData("azp", "someone-else", "WrongAudience")]
    public async Task Validate_WrongClaim_RefusedWithItsReason(string claim, string value, string expected)
    {
        var claims = Claims();
        claims[claim] = value;

        Assert.Equal(expected, (await FailureOf(Sign(claims)))!.Refusal.ToString());
    }

    [Fact]
    public async Task Validate_SeveralAudiencesNoAzp_WrongAudience()
    {
        var claims = Claims();
        claims["aud"] = new[] { "portico", "other" };

        Assert.Equal(OidcRefusal.WrongAudience, (await FailureOf(Sign(claims)))!.Refusal);
    }

    [Fact]
    public async Task Validate_NoNonce_NonceMismatch()
    {
        var claims = Claims();
        claims.Remove("nonce");

        Assert.Equal(OidcRefusal.NonceMismatch, (await FailureOf(Sign(claims)))!.Refusal);
    }

    [Theory]
    [InlineData(-10, "Expired")]
    [InlineData(-0.5, null)]
    public async Task Validate_Expiry_WithOneMinuteSkew(double minutes, string? expected)
    {
        var claims = Claims();
        claims["exp"] = Now.AddMinutes(minutes).ToUnixTimeSeconds();

        Assert.Equal(expected, (await FailureOf(Sign(claims)))?.Refusal.ToString());
    }

    [Fact]
    public async Task Validate_NoExp_Expired()
    {
        var claims = Claims();
        claims.Remove("exp");

        Assert.Equal(OidcRefusal.Expired, (await FailureOf(Sign(claims)))!.Refusal);
    }

    [Fact]
    public async Task Validate_UnknownKid_SignatureInvalidAndAsksForRefresh()
    {
        using var other = RSA.Create(2048);

        var result = await OidcIdTokenValidator.ValidateAsync(Sign(Claims(), new RsaSecurityKey(other) { KeyId = "k2" }), Expected());

        Assert.Equal(OidcRefusal.SignatureInvalid, result.Failure!.Refusal);
        Assert.True(result.UnknownKey);
    }

    [Fact]
    public async Task Validate_KnownKidWrongKey_SignatureInvalidWithoutRefresh()
    {
        using var other = RSA.Create(2048);

        var result = await OidcIdTokenValidator.ValidateAsync(Sign(Claims(), new RsaSecurityKey(other) { KeyId = "k1" }), Expected());

        Assert.Equal(OidcRefusal.SignatureInvalid, result.Failure!.Refusal);
        Assert.False(result.UnknownKey);
    }
}
