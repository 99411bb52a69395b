using System.Security.Cryptography;
using Portico.Configuration;
using Portico.Configuration.Rules;
using Portico.Tests.Unit.Configuration;

namespace Portico.Tests.Unit.Authentication.Jwt;

public sealed class JwtRulesTests
{
    private const string KeyField = "virtualProxies[0].jwtPublicKeyCertificate";

    private static VirtualProxyConfig JwtProxy(string? pem) => new()
    {
        Prefix = "jwt",
        AuthenticationMethod = AuthenticationMethod.Jwt,
        JwtPublicKeyCertificate = pem,
        JwtAttributeUserId = "sub",
        JwtAttributeUserDirectory = "userDirectory",
        LoadBalancingServerNodes = ["http://127.0.0.1:4747"],
    };

    private static IReadOnlyList<ConfigError> Check(params VirtualProxyConfig?[] virtualProxies)
    {
        var errors = new ConfigErrors();
        new JwtRules().Check(new PorticoConfig { VirtualProxies = virtualProxies! }, errors);
        return errors.All;
    }

    [Fact]
    public void Check_ValidRsaAndEcProxies_NoErrors()
    {
        var errors = Check(JwtProxy(TestJwt.Rsa.ExportSubjectPublicKeyInfoPem()), JwtProxy(TestJwt.EcP256.ExportSubjectPublicKeyInfoPem()) with { Prefix = "ec" });

        Assert.Empty(errors);
    }

    [Fact]
    public void Check_JwtProxyWithNothingSet_ReportsEachFieldWithItsPath()
    {
        var errors = Check(new VirtualProxyConfig { AuthenticationMethod = AuthenticationMethod.Jwt });

        ConfigAssert.HasError(errors, KeyField, "is required for JWT authentication");
        ConfigAssert.HasError(errors, KeyField, "paste a PEM certificate or PEM public key (RSA ≥ 2048 bits or EC)");
        ConfigAssert.HasError(errors, "virtualProxies[0].jwtAttributeUserId", "is required");
        ConfigAssert.HasError(errors, "virtualProxies[0].jwtAttributeUserDirectory", "is required");
        Assert.Equal(3, errors.Count);
    }

    [Fact]
    public void Check_SharedSecret_IsRejectedExplainingHmac()
    {
        var errors = Check(JwtProxy("0123456789abcdef0123456789abcdef"));

        ConfigAssert.HasError(errors, KeyField, "HMAC tokens (HS256/HS384/HS512) are not supported");
        ConfigAssert.HasError(errors, KeyField, "paste a PEM certificate or PEM public key (RSA ≥ 2048 bits or EC)");
        Assert.DoesNotContain(errors, e => e.Message.Contains("0123456789abcdef", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_ShortSharedSecret_IsRejected()
    {
        // docs/security.md: an HMAC key under 256 bits must not be accepted; no HMAC key is.
        ConfigAssert.HasError(Check(JwtProxy("short")), KeyField, "HMAC");
    }

    [Fact]
    public void Check_PrivateKeyPem_IsRejected()
    {
        using var rsa = RSA.Create(2048);

        ConfigAssert.HasError(Check(JwtProxy(rsa.ExportPkcs8PrivateKeyPem())), KeyField, "private key");
    }

    [Fact]
    public void Check_Rsa1024Key_IsRejected()
    {
        using var rsa = RSA.Create(1024);

        ConfigAssert.HasError(Check(JwtProxy(rsa.ExportSubjectPublicKeyInfoPem())), KeyField, "at least 2048 bits");
    }

    [Fact]
    public void Check_SecondProxyBroken_PathNamesItsIndex()
    {
        var errors = Check(
            new VirtualProxyConfig { Prefix = "ticket" },
            null,
            JwtProxy("not a key") with { JwtAttributeUserDirectory = " " });

        ConfigAssert.HasError(errors, "virtualProxies[2].jwtPublicKeyCertificate", "paste a PEM certificate");
        ConfigAssert.HasError(errors, "virtualProxies[2].jwtAttributeUserDirectory", "is required");
        Assert.Equal(2, errors.Count);
    }

    [Theory]
    [InlineData(AuthenticationMethod.Ticket)]
    [InlineData(AuthenticationMethod.HeaderStaticUserDirectory)]
    [InlineData(AuthenticationMethod.HeaderDynamicUserDirectory)]
    public void Check_NonJwtProxyWithBrokenJwtFields_NoErrors(AuthenticationMethod method)
    {
        var errors = Check(new VirtualProxyConfig { AuthenticationMethod = method, JwtPublicKeyCertificate = "secret" });

        Assert.Empty(errors);
    }
}
