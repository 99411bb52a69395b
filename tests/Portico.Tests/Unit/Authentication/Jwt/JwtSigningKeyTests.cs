using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Portico.Authentication.Jwt;

namespace Portico.Tests.Unit.Authentication.Jwt;

public sealed class JwtSigningKeyTests
{
    private static readonly string[] RsaAlgorithms = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"];

    private static JwtSigningKey Parsed(string pem)
    {
        var key = JwtSigningKey.TryParse(pem, out var error);
        Assert.True(key is not null, "expected the key to parse; got: " + error);
        Assert.Null(error);
        return key;
    }

    private static string Rejected(string? pem)
    {
        var key = JwtSigningKey.TryParse(pem, out var error);
        Assert.Null(key);
        Assert.NotNull(error);
        Assert.Contains(JwtSigningKey.Expected, error, StringComparison.Ordinal);
        return error;
    }

    [Fact]
    public void TryParse_RsaSubjectPublicKeyInfoPem_PinsRsaAlgorithmsOnly()
    {
        var key = Parsed(TestJwt.Rsa.ExportSubjectPublicKeyInfoPem());

        Assert.Equal(RsaAlgorithms, key.Algorithms);
        Assert.Equal("RSA 2048-bit", key.Description);
        Assert.False(key.Allows("HS256"));
        Assert.False(key.Allows("none"));
        Assert.False(key.Allows("ES256"));
        Assert.False(key.Allows("rs256"));
    }

    [Fact]
    public void TryParse_RsaPkcs1PublicKeyPem_Parses()
    {
        var key = Parsed(TestJwt.Rsa.ExportRSAPublicKeyPem());

        Assert.Equal(RsaAlgorithms, key.Algorithms);
    }

    [Fact]
    public void TryParse_RsaCertificatePem_UsesItsPublicKey()
    {
        using var rsa = RSA.Create(3072);
        var request = new CertificateRequest("CN=idp.example.com", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddYears(-3), DateTimeOffset.UtcNow.AddYears(-2));

        // An expired certificate still works: it is only a container for the key, as in Qlik Sense.
        var key = Parsed(certificate.ExportCertificatePem());

        Assert.Equal("RSA 3072-bit", key.Description);
        Assert.Equal(RsaAlgorithms, key.Algorithms);
    }

    [Fact]
    public void TryParse_EcCertificatePem_UsesItsPublicKey()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var request = new CertificateRequest("CN=idp.example.com", ec, HashAlgorithmName.SHA384);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));

        var key = Parsed("Subject: CN=idp.example.com\n" + certificate.ExportCertificatePem() + "\n");

        Assert.Equal("EC P-384", key.Description);
        Assert.Equal(["ES384"], key.Algorithms);
    }

    [Theory]
    [InlineData("1.2.840.10045.3.1.7", "EC P-256", "ES256")]
    [InlineData("1.3.132.0.34", "EC P-384", "ES384")]
    [InlineData("1.3.132.0.35", "EC P-521", "ES512")]
    public void TryParse_EcPublicKeyPem_PinsTheCurvesAlgorithm(string oid, string description, string algorithm)
    {
        using var ec = ECDsa.Create(ECCurve.CreateFromValue(oid));

        var key = Parsed(ec.ExportSubjectPublicKeyInfoPem());

        Assert.Equal(description, key.Description);
        Assert.Equal([algorithm], key.Algorithms);
    }

    [Fact]
    public void TryParse_EcKeyOnUnsupportedCurve_IsRejected()
    {
        ECDsa ec;
        try
        {
            ec = ECDsa.Create(ECCurve.CreateFromValue("1.3.132.0.10")); // secp256k1
        }
        catch (Exception ex) when (ex is CryptographicException or PlatformNotSupportedException)
        {
            return; // the platform cannot even make such a key, so it cannot be configured either
        }

        using (ec)
        {
            var error = Rejected(ec.ExportSubjectPublicKeyInfoPem());
            Assert.Contains("only P-256, P-384 and P-521", error, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(1024)]
    [InlineData(2040)]
    public void TryParse_RsaKeyUnder2048Bits_IsRejected(int bits)
    {
        using var rsa = RSA.Create(bits);

        var error = Rejected(rsa.ExportSubjectPublicKeyInfoPem());

        Assert.Contains($"{bits} bits", error, StringComparison.Ordinal);
        Assert.Contains("at least 2048", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_Rsa1024Certificate_IsRejected()
    {
        using var rsa = RSA.Create(1024);
        var request = new CertificateRequest("CN=old", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));

        Assert.Contains("1024 bits", Rejected(certificate.ExportCertificatePem()), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("my-super-secret")]
    [InlineData("c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA==")]
    [InlineData("  0123456789abcdef0123456789abcdef  ")]
    public void TryParse_SharedSecret_IsRejectedExplainingHmac(string secret)
    {
        var error = Rejected(secret);

        Assert.Contains("shared secret", error, StringComparison.Ordinal);
        Assert.Contains("HMAC", error, StringComparison.Ordinal);
        Assert.Contains("key-confusion", error, StringComparison.Ordinal);
        Assert.DoesNotContain(secret.Trim(), error, StringComparison.Ordinal);
    }

    public static TheoryData<string> PrivateKeys()
    {
        using var rsa = RSA.Create(2048);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new TheoryData<string>
        {
            rsa.ExportPkcs8PrivateKeyPem(),
            rsa.ExportRSAPrivateKeyPem(),
            ec.ExportECPrivateKeyPem(),
            rsa.ExportEncryptedPkcs8PrivateKeyPem("pw", new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000)),
            rsa.ExportSubjectPublicKeyInfoPem() + "\n" + rsa.ExportPkcs8PrivateKeyPem(),
        };
    }

    [Theory]
    [MemberData(nameof(PrivateKeys))]
    public void TryParse_PrivateKeyPem_IsRejectedWithoutRepeatingIt(string pem)
    {
        var error = Rejected(pem);

        Assert.Contains("private key", error, StringComparison.Ordinal);
        Assert.DoesNotContain("MII", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_TwoCertificates_IsRejected()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=a", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var pem = certificate.ExportCertificatePem();

        Assert.Contains("2 PEM blocks", Rejected(pem + "\n" + pem), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "is empty")]
    [InlineData("", "is empty")]
    [InlineData("   \n ", "is empty")]
    [InlineData("line one\nline two\n", "is not PEM text")]
    [InlineData("-----BEGIN PUBLIC KEY-----\n!!!not base64!!!\n-----END PUBLIC KEY-----", "damaged")]
    [InlineData("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----", "does not hold an RSA or EC public key")]
    [InlineData("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----", "damaged")]
    [InlineData("-----BEGIN RSA PUBLIC KEY-----\nAAAA\n-----END RSA PUBLIC KEY-----", "does not hold one")]
    [InlineData("-----BEGIN OPENSSH PUBLIC KEY-----\nAAAA\n-----END OPENSSH PUBLIC KEY-----", "labelled \"OPENSSH PUBLIC KEY\"")]
    public void TryParse_NotAUsableKey_IsRejected(string? text, string fragment)
    {
        Assert.Contains(fragment, Rejected(text), StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_PublicKeyWithTrailingBytes_IsRejected()
    {
        var der = TestJwt.Rsa.ExportSubjectPublicKeyInfo().Concat(new byte[] { 0, 0 }).ToArray();

        Rejected(PemEncoding.WriteString("PUBLIC KEY", der));
    }

    [Fact]
    public void TryParse_Pkcs1DerInPublicKeyLabel_IsRejected()
    {
        Assert.Contains("does not hold an RSA or EC public key", Rejected(PemEncoding.WriteString("PUBLIC KEY", TestJwt.Rsa.ExportRSAPublicKey())), StringComparison.Ordinal);
    }
}
