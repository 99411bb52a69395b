using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Portico.Authentication.Jwt;
using static Portico.Tests.Unit.Authentication.Jwt.TestJwt;

namespace Portico.Tests.Unit.Authentication.Jwt;

public sealed class JwtValidatorTests
{
    private static readonly JwtValidationPolicy RsaPolicy = Policy(Rsa);

    private static JwtValidationResult Validate(string? token, JwtValidationPolicy? policy = null) =>
        JwtValidator.Validate(token, policy ?? RsaPolicy, Now);

    private static void AssertFails(JwtValidationResult result, string reasonFragment)
    {
        Assert.False(result.Succeeded, "expected a failure containing '" + reasonFragment + "'");
        Assert.Contains(reasonFragment, result.Reason, StringComparison.Ordinal);
        Assert.Null(result.UserId);
        Assert.Null(result.UserDirectory);
    }

    private static void AssertSucceeds(JwtValidationResult result)
    {
        Assert.True(result.Succeeded, "expected success; got: " + result.Reason);
    }

    // --- Valid tokens ---------------------------------------------------------------------------

    [Fact]
    public void Validate_ValidRs256_ReturnsUserAttributesAndExpiry()
    {
        var claims = ValidClaims();
        claims["email"] = "alice@example.com";
        claims["groups"] = new[] { "sales", "emea" };
        claims["iss"] = "https://idp.example.com";
        claims["aud"] = "portico";
        claims["jti"] = "abc";
        claims["level"] = 3;
        claims["profile"] = new Dictionary<string, object> { ["x"] = "y" };
        claims["mixed"] = new object[] { "a", 1 };

        var result = Validate(Rs256(claims));

        AssertSucceeds(result);
        Assert.Equal("alice", result.UserId);
        Assert.Equal("CORP", result.UserDirectory);
        Assert.Equal(Now.AddMinutes(10), result.ExpiresAt);
        Assert.Null(result.Reason);
        Assert.Equal(
            [new("email", "alice@example.com"), new("groups", "sales"), new("groups", "emea")],
            result.Attributes);
    }

    [Fact]
    public void Validate_ValidEs256_ReturnsUser()
    {
        var claims = ValidClaims();
        claims["role"] = "admin";
        var token = Token(JwsHeader("ES256"), claims, SignEc(EcP256, HashAlgorithmName.SHA256));

        var result = Validate(token, Policy(EcP256));

        AssertSucceeds(result);
        Assert.Equal("alice", result.UserId);
        Assert.Equal("CORP", result.UserDirectory);
        Assert.Equal([new("role", "admin")], result.Attributes);
    }

    [Theory]
    [InlineData("RS384")]
    [InlineData("RS512")]
    [InlineData("PS256")]
    [InlineData("PS384")]
    [InlineData("PS512")]
    public void Validate_OtherPinnedRsaAlgorithms_Succeed(string alg)
    {
        var hash = alg[2..] switch { "256" => HashAlgorithmName.SHA256, "384" => HashAlgorithmName.SHA384, _ => HashAlgorithmName.SHA512 };
        var padding = alg[0] == 'P' ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
        var token = Token(JwsHeader(alg), ValidClaims(), SignRsa(Rsa, hash, padding));

        AssertSucceeds(Validate(token));
    }

    [Fact]
    public void Validate_ExplicitAttributeClaims_CopiesOnlyThoseInPolicyOrder()
    {
        var claims = ValidClaims();
        claims["email"] = "alice@example.com";
        claims["groups"] = new[] { "sales" };
        claims["department"] = "ops";
        var policy = RsaPolicy with { AttributeClaims = ["groups", "email", "absent"] };

        var result = Validate(Rs256(claims), policy);

        AssertSucceeds(result);
        Assert.Equal([new("groups", "sales"), new("email", "alice@example.com")], result.Attributes);
    }

    [Theory]
    [InlineData("JWT")]
    [InlineData("jwt")]
    [InlineData(null)]
    public void Validate_TypJwtInAnyCaseOrAbsent_Succeeds(string? typ)
    {
        var header = new Dictionary<string, object?> { ["alg"] = "RS256" };
        if (typ is not null)
        {
            header["typ"] = typ;
        }

        AssertSucceeds(Validate(Token(header, ValidClaims(), SignRsa(Rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))));
    }

    // --- alg: none and unsigned tokens (RFC 8725 §3.1) -----------------------------------------------

    [Theory]
    [InlineData("none")]
    [InlineData("None")]
    [InlineData("NONE")]
    [InlineData("nOnE")]
    public void Validate_AlgNoneWithEmptySignature_Fails(string alg)
    {
        var token = Token(JwsHeader(alg), ValidClaims(), NoSignature);
        Assert.EndsWith(".", token, StringComparison.Ordinal);

        AssertFails(Validate(token), "algorithm none is not accepted");
    }

    [Fact]
    public void Validate_AlgNoneWithSignatureOfTheRightKey_Fails()
    {
        var token = Token(JwsHeader("none"), ValidClaims(), SignRsa(Rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        AssertFails(Validate(token), "algorithm none is not accepted");
    }

    [Fact]
    public void Validate_Rs256WithEmptySignature_Fails()
    {
        var token = Token(JwsHeader("RS256"), ValidClaims(), NoSignature);

        AssertFails(Validate(token), "empty signature");
    }

    [Theory]
    [InlineData("""{"typ":"JWT"}""")]
    [InlineData("""{"alg":null}""")]
    [InlineData("""{"alg":["RS256"]}""")]
    [InlineData("""{"alg":256}""")]
    public void Validate_AlgMissingOrNotAString_Fails(string headerJson)
    {
        var token = Token(headerJson, Json(ValidClaims()), SignRsa(Rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        AssertFails(Validate(token), "no alg");
    }

    [Theory]
    [InlineData("rs256")]
    [InlineData("RS256 ")]
    [InlineData("RS1")]
    [InlineData("EdDSA")]
    public void Validate_UnknownOrMisspelledAlg_Fails(string alg)
    {
        var token = Token(JwsHeader(alg), ValidClaims(), SignRsa(Rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        AssertFails(Validate(token), "is not allowed for the configured RSA 2048-bit key");
    }

    // --- Key confusion (RFC 8725 §2.1): HMAC keyed with the public key ---------------------------------

    public static TheoryData<string> PublicKeyEncodings => new()
    {
        "spki-pem",
        "spki-der",
        "pkcs1-pem",
        "pkcs1-der",
    };

    [Theory]
    [MemberData(nameof(PublicKeyEncodings))]
    public void Validate_Hs256SignedWithThePublicKeyBytes_Fails(string encoding)
    {
        byte[] secret = encoding switch
        {
            "spki-pem" => Encoding.ASCII.GetBytes(Rsa.ExportSubjectPublicKeyInfoPem()),
            "spki-der" => Rsa.ExportSubjectPublicKeyInfo(),
            "pkcs1-pem" => Encoding.ASCII.GetBytes(Rsa.ExportRSAPublicKeyPem()),
            _ => Rsa.ExportRSAPublicKey(),
        };
        var token = Token(JwsHeader("HS256"), ValidClaims(), SignHs256(secret));

        var result = Validate(token);

        AssertFails(result, "algorithm HS256 is not allowed");
        Assert.Contains("RS256", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Hs256SignedWithEcPublicKeyBytes_Fails()
    {
        var token = Token(JwsHeader("HS256"), ValidClaims(), SignHs256(Encoding.ASCII.GetBytes(EcP256.ExportSubjectPublicKeyInfoPem())));

        AssertFails(Validate(token, Policy(EcP256)), "algorithm HS256 is not allowed for the configured EC P-256 key");
    }

    [Fact]
    public void Validate_Es256TokenAgainstRsaKey_Fails()
    {
        var token = Token(JwsHeader("ES256"), ValidClaims(), SignEc(EcP256, HashAlgorithmName.SHA256));

        AssertFails(Validate(token), "algorithm ES256 is not allowed");
    }

    [Fact]
    public void Validate_Rs256TokenAgainstEcKey_Fails()
    {
        AssertFails(Validate(Rs256(ValidClaims()), Policy(EcP256)), "algorithm RS256 is not allowed");
    }

    [Fact]
    public void Validate_Es384HeaderForP256Key_Fails()
    {
        var token = Token(JwsHeader("ES384"), ValidClaims(), SignEc(EcP256, HashAlgorithmName.SHA384));

        AssertFails(Validate(token, Policy(EcP256)), "algorithm ES384 is not allowed");
    }

    // --- kid tricks (RFC 8725 §3.10): only the configured key counts ------------------------------

    public static TheoryData<string> HostileKids => new()
    {
        "../../dev/null",
        "' OR 1=1 --",
        "http://evil/key",
        "",
    };

    [Theory]
    [MemberData(nameof(HostileKids))]
    public void Validate_HostileKidSignedByAnotherKey_Fails(string kid)
    {
        var header = JwsHeader("RS256");
        header["kid"] = kid;
        var token = Token(header, ValidClaims(), SignRsa(OtherRsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        AssertFails(Validate(token), "signature invalid");
    }

    [Theory]
    [MemberData(nameof(HostileKids))]
    public void Validate_HostileKidSignedByConfiguredKey_Succeeds(string kid)
    {
        var header = JwsHeader("RS256");
        header["kid"] = kid;
        var token = Token(header, ValidClaims(), SignRsa(Rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        var result = Validate(token);

        AssertSucceeds(result);
        Assert.Equal("alice", result.UserId);
    }

    // --- Keys named or carried by the token: jku, x5u, jwk, x5c --------------------------------------

    [Theory]
    [InlineData("jku", "http://evil/jwks.json")]
    [InlineData("x5u", "http://evil/cert.pem")]
    [InlineData("JKU", "http://evil/jwks.json")]
    public void Validate_HeaderPointingAtRemoteKey_Fails(string name, string url)
    {
        var header = JwsHeader("RS256");
        header[name] = url;

        // Signed by the attacker's key (the one the URL would serve) and by the configured key:
        // the header alone is enough to refuse.
        foreach (var signer in new[] { OtherRsa, Rsa })
        {
            var token = Token(header, ValidClaims(), SignRsa(signer, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
            AssertFails(Validate(token), "is not accepted");
        }
    }

    [Fact]
    public void Validate_EmbeddedJwkOfAttackerKey_Fails()
    {
        var parameters = OtherRsa.ExportParameters(false);
        var header = JwsHeader("RS256");
        header["jwk"] = new Dictionary<string, string> { ["kty"] = "RSA", ["n"] = B64(parameters.Modulus!), ["e"] = B64(parameters.Exponent!) };
        var token = Token(header, ValidClaims(), SignRsa(OtherRsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        AssertFails(Validate(token), "header parameter jwk is not accepted");
    }

    [Fact]
    public void Validate_EmbeddedX5cOfAttackerCertificate_Fails()
    {
        var request = new CertificateRequest("CN=evil", OtherRsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(Now.AddDays(-1), Now.AddDays(1));
        var header = JwsHeader("RS256");
        header["x5c"] = new[] { Convert.ToBase64String(certificate.RawData) };
        var token = Token(header, ValidClaims(), SignRsa(OtherRsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        AssertFails(Validate(token), "header parameter x5c is not accepted");
    }

    [Theory]
    [InlineData("crit", """["exp"]""", "header parameter crit is not accepted")]
    [InlineData("zip", "\"DEF\"", "header parameter zip is not accepted")]
    [InlineData("enc", "\"A256GCM\"", "encrypted tokens (JWE) are not accepted")]
    [InlineData("cty", "\"JWT\"", "header parameter cty is not accepted")]
    [InlineData("typ", "\"at+jwt\"", "typ")]
    [InlineData("typ", "1", "typ")]
    public void Validate_RefusedHeaderParameter_Fails(string name, string jsonValue, string reasonFragment)
    {
        var headerJson = $$"""{"alg":"RS256","{{name}}":{{jsonValue}}}""";
        var token = Token(headerJson, Json(ValidClaims()), SignRsa(Rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        AssertFails(Validate(token), reasonFragment);
    }

    [Fact]
    public void Validate_DuplicateAlgInHeader_Fails()
    {
        // A parser that keeps the last value would see "none"; one that keeps the first, RS256.
        var token = Token("""{"alg":"RS256","alg":"none"}""", Json(ValidClaims()), SignRsa(Rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        AssertFails(Validate(token), "header is not a base64url-encoded JSON object with unique names");
    }

    [Fact]
    public void Validate_HeaderNamesDifferingOnlyInCase_Fails()
    {
        var token = Token("""{"alg":"RS256","ALG":"none"}""", Json(ValidClaims()), SignRsa(Rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        AssertFails(Validate(token), "unique names");
    }

    [Fact]
    public void Validate_DuplicateClaimName_Fails()
    {
        // RFC 7519 §4: duplicate claim names are rejected, so the user cannot be read ambiguously.
        var exp = Now.AddMinutes(10).ToUnixTimeSeconds();
        var payload = $$"""{"sub":"alice","sub":"admin","userDirectory":"CORP","exp":{{exp}}}""";
        var token = Token(Json(JwsHeader("RS256")), payload, SignRsa(Rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        AssertFails(Validate(token), "claims are not a base64url-encoded JSON object with unique names");
    }

    // --- Lifetime ---------------------------------------------------------------------------------------

    [Fact]
    public void Validate_Expired_Fails()
    {
        // Still in the future by the wall clock: only the injected time can call it expired.
        var claims = ValidClaims();
        claims["nbf"] = Now.AddHours(-1).ToUnixTimeSeconds();
        claims["exp"] = Now.AddMinutes(-2).ToUnixTimeSeconds();

        AssertFails(Validate(Rs256(claims)), "token expired");
    }

    [Fact]
    public void Validate_ExpiredWithinClockSkew_Succeeds()
    {
        var claims = ValidClaims();
        claims["exp"] = Now.AddSeconds(-30).ToUnixTimeSeconds();
        claims.Remove("nbf");

        AssertSucceeds(Validate(Rs256(claims)));
    }

    [Fact]
    public void Validate_ExpiredExactlyByClockSkew_Fails()
    {
        var claims = ValidClaims();
        claims["exp"] = Now.AddSeconds(-60).ToUnixTimeSeconds();
        claims.Remove("nbf");

        AssertFails(Validate(Rs256(claims)), "token expired");
    }

    [Fact]
    public void Validate_ZeroClockSkew_ExpiredOneSecondAgoFails()
    {
        var claims = ValidClaims();
        claims["exp"] = Now.AddSeconds(-1).ToUnixTimeSeconds();
        claims.Remove("nbf");

        AssertFails(Validate(Rs256(claims), RsaPolicy with { ClockSkew = TimeSpan.Zero }), "token expired");
    }

    [Fact]
    public void Validate_NotBeforeInTheFuture_Fails()
    {
        var claims = ValidClaims();
        claims["nbf"] = Now.AddMinutes(5).ToUnixTimeSeconds();

        AssertFails(Validate(Rs256(claims)), "token not yet valid");
    }

    [Fact]
    public void Validate_NotBeforeWithinClockSkew_Succeeds()
    {
        var claims = ValidClaims();
        claims["nbf"] = Now.AddSeconds(30).ToUnixTimeSeconds();

        AssertSucceeds(Validate(Rs256(claims)));
    }

    [Fact]
    public void Validate_MissingExp_Fails()
    {
        var claims = ValidClaims();
        claims.Remove("exp");

        AssertFails(Validate(Rs256(claims)), "no expiry");
    }

    [Fact]
    public void Validate_MissingExpAndNbf_Fails()
    {
        var claims = ValidClaims();
        claims.Remove("exp");
        claims.Remove("nbf");

        AssertFails(Validate(Rs256(claims)), "no expiry");
    }

    [Fact]
    public void Validate_ExpOfZero_Fails()
    {
        var claims = ValidClaims();
        claims.Remove("nbf");
        claims["exp"] = 0;

        AssertFails(Validate(Rs256(claims)), "token expired");
    }

    [Theory]
    [InlineData("exp")]
    [InlineData("nbf")]
    [InlineData("iat")]
    public void Validate_NumericDateAsString_Fails(string claim)
    {
        var claims = ValidClaims();
        claims[claim] = Now.AddMinutes(10).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

        AssertFails(Validate(Rs256(claims)), $"claim {claim} is not a NumericDate");
    }

    [Fact]
    public void Validate_NotBeforeAfterExpiry_Fails()
    {
        var claims = ValidClaims();
        claims["nbf"] = Now.AddMinutes(20).ToUnixTimeSeconds();

        AssertFails(Validate(Rs256(claims)), "nbf after exp");
    }

    // --- Audience and issuer ------------------------------------------------------------------------

    [Fact]
    public void Validate_WrongAudienceWhenConfigured_Fails()
    {
        var claims = ValidClaims();
        claims["aud"] = "someone-else";

        AssertFails(Validate(Rs256(claims), RsaPolicy with { Audience = "portico" }), "audience mismatch");
    }

    [Fact]
    public void Validate_MissingAudienceWhenConfigured_Fails()
    {
        AssertFails(Validate(Rs256(ValidClaims()), RsaPolicy with { Audience = "portico" }), "audience missing");
    }

    [Fact]
    public void Validate_AudienceDifferingByTrailingSlash_Fails()
    {
        var claims = ValidClaims();
        claims["aud"] = "https://portico.example.com";

        AssertFails(Validate(Rs256(claims), RsaPolicy with { Audience = "https://portico.example.com/" }), "audience mismatch");
    }

    [Fact]
    public void Validate_AudienceArrayContainingConfigured_Succeeds()
    {
        var claims = ValidClaims();
        claims["aud"] = new[] { "other", "portico" };

        AssertSucceeds(Validate(Rs256(claims), RsaPolicy with { Audience = "portico" }));
    }

    [Fact]
    public void Validate_AnyAudienceWhenNotConfigured_Succeeds()
    {
        var claims = ValidClaims();
        claims["aud"] = "whatever";

        AssertSucceeds(Validate(Rs256(claims)));
    }

    [Fact]
    public void Validate_WrongIssuerWhenConfigured_Fails()
    {
        var claims = ValidClaims();
        claims["iss"] = "https://evil.example.com";

        AssertFails(Validate(Rs256(claims), RsaPolicy with { Issuer = "https://idp.example.com" }), "issuer mismatch");
    }

    [Fact]
    public void Validate_MissingIssuerWhenConfigured_Fails()
    {
        AssertFails(Validate(Rs256(ValidClaims()), RsaPolicy with { Issuer = "https://idp.example.com" }), "issuer missing");
    }

    [Fact]
    public void Validate_RightIssuerAndAudience_Succeeds()
    {
        var claims = ValidClaims();
        claims["iss"] = "https://idp.example.com";
        claims["aud"] = "portico";

        AssertSucceeds(Validate(Rs256(claims), RsaPolicy with { Issuer = "https://idp.example.com", Audience = "portico" }));
    }

    [Fact]
    public void Validate_AnyIssuerWhenNotConfigured_Succeeds()
    {
        var claims = ValidClaims();
        claims["iss"] = "https://anyone.example.com";

        AssertSucceeds(Validate(Rs256(claims)));
    }

    // --- Shape: JWE, size, encoding --------------------------------------------------------------------

    [Fact]
    public void Validate_FivePartJwe_FailsBeforeParsing()
    {
        var header = B64("""{"alg":"RSA-OAEP","enc":"A256GCM","zip":"DEF"}""");
        var token = string.Join('.', header, B64(RandomNumberGenerator.GetBytes(256)), B64(RandomNumberGenerator.GetBytes(12)),
            B64(RandomNumberGenerator.GetBytes(2000)), B64(RandomNumberGenerator.GetBytes(16)));

        var result = Validate(token);

        AssertFails(result, "JWE");
    }

    [Fact]
    public void Validate_FivePartJweWithGarbageHeader_StillNamesJwe()
    {
        AssertFails(Validate("a.b.c.d.e"), "encrypted tokens (JWE) are not accepted");
    }

    [Fact]
    public void Validate_OversizedToken_FailsWithSizeReason()
    {
        var claims = ValidClaims();
        claims["padding"] = new string('x', 100 * 1024);

        AssertFails(Validate(Rs256(claims)), "token too large");
    }

    [Fact]
    public void Validate_TokenJustOverConfiguredLimit_Fails()
    {
        var token = Rs256(ValidClaims());

        AssertFails(Validate(token, RsaPolicy with { MaxTokenLength = token.Length - 1 }), "token too large");
        AssertSucceeds(Validate(token, RsaPolicy with { MaxTokenLength = token.Length }));
    }

    [Theory]
    [InlineData(null, "no token")]
    [InlineData("", "no token")]
    [InlineData("abc", "three dot-separated parts")]
    [InlineData("a.b", "three dot-separated parts")]
    [InlineData("a.b.c.d", "three dot-separated parts")]
    [InlineData("a.b.c.d.e.f", "three dot-separated parts")]
    [InlineData("a b.c.d", "only base64url characters")]
    [InlineData("a+b.c.d", "only base64url characters")]
    [InlineData("a/b.c.d", "only base64url characters")]
    [InlineData("ab==.c.d", "only base64url characters")]
    [InlineData("ab.c.d\n", "only base64url characters")]
    [InlineData(".c.d", "header is not")]
    [InlineData("a.c.d", "header is not")]
    public void Validate_MalformedToken_Fails(string? token, string reasonFragment)
    {
        AssertFails(Validate(token), reasonFragment);
    }

    [Theory]
    [InlineData("[\"RS256\"]")]
    [InlineData("\"RS256\"")]
    [InlineData("{alg:'RS256'}")]
    [InlineData("{\"alg\":\"RS256\",}")]
    [InlineData("{\"alg\":\"RS256\"} // comment")]
    public void Validate_HeaderNotStrictJsonObject_Fails(string headerJson)
    {
        var token = Token(headerJson, Json(ValidClaims()), SignRsa(Rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        AssertFails(Validate(token), "header is not a base64url-encoded JSON object");
    }

    [Fact]
    public void Validate_OversizedHeader_Fails()
    {
        var header = JwsHeader("RS256");
        header["x-pad"] = new string('x', 4000);
        var token = Token(header, ValidClaims(), SignRsa(Rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        AssertFails(Validate(token), "header too large");
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"alice\"")]
    [InlineData("{\"sub\":\"alice\",}")]
    public void Validate_ClaimsNotStrictJsonObject_Fails(string payloadJson)
    {
        var token = Token(Json(JwsHeader("RS256")), payloadJson, SignRsa(Rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        AssertFails(Validate(token), "claims are not");
    }

    // --- Signature ------------------------------------------------------------------------------------

    [Fact]
    public void Validate_SignedByAnotherRsaKey_Fails()
    {
        AssertFails(Validate(Rs256(ValidClaims(), OtherRsa)), "signature invalid");
    }

    [Fact]
    public void Validate_ClaimsChangedAfterSigning_Fails()
    {
        var token = Rs256(ValidClaims());
        var claims = ValidClaims();
        claims["sub"] = "admin";
        var parts = token.Split('.');
        var tampered = parts[0] + "." + B64(Json(claims)) + "." + parts[2];

        AssertFails(Validate(tampered), "signature invalid");
    }

    [Fact]
    public void Validate_SignatureNotBase64OfASignature_Fails()
    {
        var parts = Rs256(ValidClaims()).Split('.');

        AssertFails(Validate(parts[0] + "." + parts[1] + ".AAAA"), "signature invalid");
    }

    // --- User mapping -------------------------------------------------------------------------------

    [Fact]
    public void Validate_MissingUserIdClaim_FailsNamingIt()
    {
        var claims = ValidClaims();
        claims.Remove("sub");

        AssertFails(Validate(Rs256(claims)), "user id claim 'sub'");
    }

    [Fact]
    public void Validate_MissingUserDirectoryClaim_FailsNamingIt()
    {
        var claims = ValidClaims();
        claims.Remove("userDirectory");

        AssertFails(Validate(Rs256(claims)), "user directory claim 'userDirectory'");
    }

    [Theory]
    [InlineData("sub", 42)]
    [InlineData("sub", "")]
    [InlineData("sub", "  ")]
    [InlineData("sub", null)]
    [InlineData("userDirectory", true)]
    [InlineData("userDirectory", "")]
    public void Validate_UserClaimNotANonEmptyString_Fails(string claim, object? value)
    {
        var claims = ValidClaims();
        claims[claim] = value;

        AssertFails(Validate(Rs256(claims)), $"claim '{claim}' is missing or not a non-empty string");
    }

    [Fact]
    public void Validate_UserClaimAsArray_Fails()
    {
        var claims = ValidClaims();
        claims["sub"] = new[] { "alice", "admin" };

        AssertFails(Validate(Rs256(claims)), "user id claim 'sub'");
    }

    [Fact]
    public void Validate_CustomClaimNames_MapsUser()
    {
        var claims = ValidClaims();
        claims["upn"] = "bob@corp";
        claims["dir"] = "AZURE";
        var policy = RsaPolicy with { UserIdClaim = "upn", UserDirectoryClaim = "dir" };

        var result = Validate(Rs256(claims), policy);

        AssertSucceeds(result);
        Assert.Equal("bob@corp", result.UserId);
        Assert.Equal("AZURE", result.UserDirectory);
        Assert.DoesNotContain(result.Attributes, a => a.Key is "upn" or "dir");
        Assert.Contains(result.Attributes, a => a is { Key: "userDirectory", Value: "CORP" });
    }

    [Theory]
    [InlineData("sub", "alice\r", "user id claim 'sub' contains a control character (U+000D)")]
    [InlineData("sub", "alice\r\nadmin", "user id claim 'sub' contains a control character (U+000D)")]
    [InlineData("sub", "ali\0ce", "user id claim 'sub' contains a control character (U+0000)")]
    [InlineData("sub", "\u202Eecila", "user id claim 'sub' contains an invisible formatting character (U+202E)")]
    [InlineData("sub", "ad\u200Bmin", "user id claim 'sub' contains an invisible formatting character (U+200B)")]
    [InlineData("sub", "admin\u2028", "user id claim 'sub' contains a line or paragraph separator (U+2028)")]
    [InlineData("sub", " admin", "user id claim 'sub' begins with whitespace (U+0020)")]
    [InlineData("sub", "admin ", "user id claim 'sub' ends with whitespace (U+0020)")]
    [InlineData("sub", "\u00A0admin\u00A0", "user id claim 'sub' begins with whitespace (U+00A0)")]
    [InlineData("userDirectory", "CORP\r", "user directory claim 'userDirectory' contains a control character (U+000D)")]
    [InlineData("userDirectory", "CORP\0", "user directory claim 'userDirectory' contains a control character (U+0000)")]
    [InlineData("userDirectory", "\u202EPROC", "user directory claim 'userDirectory' contains an invisible formatting character (U+202E)")]
    [InlineData("userDirectory", "CO\u200BRP", "user directory claim 'userDirectory' contains an invisible formatting character (U+200B)")]
    [InlineData("userDirectory", " CORP", "user directory claim 'userDirectory' begins with whitespace (U+0020)")]
    [InlineData("userDirectory", "CORP ", "user directory claim 'userDirectory' ends with whitespace (U+0020)")]
    public void Validate_UserClaimBreakingTheIdentityRule_FailsNamingTheClaim(string claim, string value, string reason)
    {
        var claims = ValidClaims();
        claims[claim] = value;

        var result = Validate(Rs256(claims));

        AssertFails(result, reason);
        Assert.Equal(reason, result.Reason);
    }

    [Theory]
    [InlineData("{\"sub\":\"\\uD800\",\"userDirectory\":\"CORP\",\"exp\":EXP}")]
    [InlineData("{\"sub\":\"admin\\uDC00\",\"userDirectory\":\"CORP\",\"exp\":EXP}")]
    [InlineData("{\"sub\":\"alice\",\"userDirectory\":\"CORP\\uD83D\",\"exp\":EXP}")]
    [InlineData("{\"sub\":\"alice\",\"userDirectory\":\"CORP\",\"groups\":[\"Sales\\uD800\"],\"exp\":EXP}")]
    [InlineData("{\"sub\":\"alice\",\"userDirectory\":\"CORP\",\"\\uD800\":\"x\",\"exp\":EXP}")]
    [InlineData("{\"sub\":\"alice\",\"userDirectory\":\"CORP\",\"profile\":{\"a\":\"\\uDFFF\"},\"exp\":EXP}")]
    public void Validate_ClaimsWithUnpairedSurrogateEscape_FailAsMalformedWithoutThrowing(string payloadTemplate)
    {
        // A serializer will not write a lone surrogate, so the claims are written by hand: reading
        // such a string throws in System.Text.Json, and must be a refusal, never an exception.
        var payload = payloadTemplate.Replace("EXP", Now.AddMinutes(10).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var token = Token(Json(JwsHeader("RS256")), payload, SignRsa(Rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        AssertFails(Validate(token), "claims are not a base64url-encoded JSON object with unique names and valid Unicode");
    }

    [Theory]
    [InlineData("{\"alg\":\"\\uD800\"}")]
    [InlineData("{\"alg\":\"RS256\",\"typ\":\"JWT\\uDC00\"}")]
    [InlineData("{\"alg\":\"RS256\",\"\\uD800\":1}")]
    public void Validate_HeaderWithUnpairedSurrogateEscape_FailsAsMalformedWithoutThrowing(string headerJson)
    {
        var token = Token(headerJson, Json(ValidClaims()), SignRsa(Rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        AssertFails(Validate(token), "header is not a base64url-encoded JSON object with unique names and valid Unicode");
    }

    [Fact]
    public void Validate_ClaimWithInvalidUtf8_FailsAsMalformedWithoutThrowing()
    {
        var exp = Now.AddMinutes(10).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        byte[] payload = [.. Encoding.ASCII.GetBytes("{\"sub\":\"a"), 0xED, 0xA0, 0x80, .. Encoding.ASCII.GetBytes("\",\"userDirectory\":\"CORP\",\"exp\":" + exp + "}")];
        var signingInput = B64(Encoding.ASCII.GetBytes(Json(JwsHeader("RS256")))) + "." + B64(payload);
        var token = signingInput + "." + B64(Rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        AssertFails(Validate(token), "claims are not");
    }

    [Fact]
    public void Validate_UserIdTooLong_Fails()
    {
        var claims = ValidClaims();
        claims["sub"] = new string('a', 257);

        AssertFails(Validate(Rs256(claims)), "user id claim 'sub' is longer than 256 characters");
    }

    [Theory]
    [InlineData("ANONYMOUS")]
    [InlineData("anonymous")]
    [InlineData("Anonymous")]
    [InlineData("\uFF21\uFF2E\uFF2F\uFF2E\uFF39\uFF2D\uFF2F\uFF35\uFF33")]
    [InlineData("A\u2116NYMOUS")]
    public void Validate_ReservedDirectoryInAnySpelling_FailsNamingTheClaim(string directory)
    {
        var claims = ValidClaims();
        claims["userDirectory"] = directory;

        AssertFails(Validate(Rs256(claims)), "user directory claim 'userDirectory' names the user directory ANONYMOUS, which is reserved for anonymous access");
    }

    [Theory]
    [InlineData(" ANONYMOUS", "begins with whitespace")]
    [InlineData("ANONYMOUS ", "ends with whitespace")]
    [InlineData("ANONYMOUS\u200B", "contains an invisible formatting character (U+200B)")]
    public void Validate_ReservedDirectoryWithHiddenCharacters_Fails(string directory, string reason)
    {
        var claims = ValidClaims();
        claims["userDirectory"] = directory;

        AssertFails(Validate(Rs256(claims)), "user directory claim 'userDirectory' " + reason);
    }

    [Theory]
    [InlineData("Sales\r\nAdmin", "contains a control character (U+000D)")]
    [InlineData("\u202ESelas", "contains an invisible formatting character (U+202E)")]
    [InlineData("Sa\u200Bles", "contains an invisible formatting character (U+200B)")]
    [InlineData("Sales ", "ends with whitespace (U+0020)")]
    public void Validate_AttributeClaimBreakingTheIdentityRule_Fails(string value, string reason)
    {
        var claims = ValidClaims();
        claims["groups"] = new[] { "Users", value };

        AssertFails(Validate(Rs256(claims)), "an attribute claim " + reason);
        AssertFails(Validate(Rs256(claims), RsaPolicy with { AttributeClaims = ["groups"] }), "attribute claim 'groups' " + reason);
    }

    [Theory]
    [InlineData("gro\u200Bups")]
    [InlineData("groups\n")]
    [InlineData(" groups")]
    public void Validate_AttributeClaimNameBreakingTheIdentityRule_FailsWithoutRepeatingIt(string name)
    {
        var claims = ValidClaims();
        claims[name] = "Sales";

        var result = Validate(Rs256(claims));

        AssertFails(result, "an attribute claim name ");
        Assert.DoesNotContain("groups", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AttributeClaimTooLong_Fails()
    {
        var claims = ValidClaims();
        claims["note"] = new string('x', 4097);

        AssertFails(Validate(Rs256(claims)), "an attribute claim is longer than 4096 characters");
    }

    [Fact]
    public void Validate_AttributeWithInnerSpaces_Succeeds()
    {
        var claims = ValidClaims();
        claims["group"] = "Sales and Marketing";

        var result = Validate(Rs256(claims));

        AssertSucceeds(result);
        Assert.Equal([new("group", "Sales and Marketing")], result.Attributes);
    }

    // --- Reasons never leak the token -----------------------------------------------------------------

    public static TheoryData<string> FailingTokens()
    {
        var expired = ValidClaims();
        expired["exp"] = Now.AddHours(-1).ToUnixTimeSeconds();
        var noUser = ValidClaims();
        noUser.Remove("sub");
        var kidHeader = JwsHeader("RS256");
        kidHeader["kid"] = "' OR 1=1 --";
        var jkuHeader = JwsHeader("RS256");
        jkuHeader["jku"] = "http://evil/jwks.json";
        var longClaims = ValidClaims();
        longClaims["padding"] = new string('y', 20_000);

        return new TheoryData<string>
        {
            Rs256(ValidClaims(), OtherRsa),
            Rs256(expired),
            Rs256(noUser),
            Rs256(longClaims),
            Token(JwsHeader("none"), ValidClaims(), NoSignature),
            Token(JwsHeader("HS256"), ValidClaims(), SignHs256(Rsa.ExportSubjectPublicKeyInfo())),
            Token(JwsHeader("XX999"), ValidClaims(), SignHs256(Rsa.ExportSubjectPublicKeyInfo())),
            Token(kidHeader, ValidClaims(), SignRsa(OtherRsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)),
            Token(jkuHeader, ValidClaims(), SignRsa(OtherRsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)),
            Rs256(ValidClaims()) + ".extra.parts",
        };
    }

    [Theory]
    [MemberData(nameof(FailingTokens))]
    public void Validate_Failure_ReasonNeverContainsTokenOrAnyPart(string token)
    {
        var result = Validate(token);

        Assert.False(result.Succeeded);
        Assert.False(string.IsNullOrWhiteSpace(result.Reason));
        Assert.True(result.Reason.Length < 200, "reasons are short: " + result.Reason);
        Assert.DoesNotContain(token, result.Reason, StringComparison.Ordinal);
        foreach (var part in token.Split('.').Where(p => p.Length >= 8))
        {
            Assert.DoesNotContain(part, result.Reason, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("OR 1=1", result.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("evil", result.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("XX999", result.Reason, StringComparison.Ordinal);
    }

    // --- Never throws -------------------------------------------------------------------------------

    [Fact]
    public void Validate_RandomInput_NeverThrows()
    {
        var random = new Random(8725);
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
        var header = B64(Json(JwsHeader("RS256")));
        for (var i = 0; i < 2000; i++)
        {
            var length = random.Next(0, 300);
            var noise = new string(Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            var bytes = new byte[random.Next(0, 200)];
            random.NextBytes(bytes);

            Assert.False(Validate(noise).Succeeded);
            Assert.False(Validate(header + "." + B64(bytes) + "." + B64(bytes)).Succeeded);
            Assert.False(Validate(B64(bytes) + "." + B64(Json(ValidClaims())) + ".AAAA").Succeeded);
        }
    }
}
