using Portico.Authentication.Jwt;
using Portico.Configuration;

namespace Portico.Tests.Unit.Authentication.Jwt;

public sealed class JwtValidationPolicyTests
{
    private static readonly JwtSigningKey Key = TestJwt.SigningKey(TestJwt.Rsa);

    [Fact]
    public void FromConfig_JwtVirtualProxy_MapsFieldsAndDefaults()
    {
        var vp = new VirtualProxyConfig
        {
            AuthenticationMethod = AuthenticationMethod.Jwt,
            JwtAttributeUserId = "upn",
            JwtAttributeUserDirectory = "dir",
            JwtAudience = "portico",
            JwtIssuer = "https://idp.example.com",
        };

        var policy = JwtValidationPolicy.FromConfig(vp, Key);

        Assert.Same(Key, policy.Key);
        Assert.Equal("upn", policy.UserIdClaim);
        Assert.Equal("dir", policy.UserDirectoryClaim);
        Assert.Equal("portico", policy.Audience);
        Assert.Equal("https://idp.example.com", policy.Issuer);
        Assert.Equal(TimeSpan.FromSeconds(60), policy.ClockSkew);
        Assert.Equal(8192, policy.MaxTokenLength);
        Assert.Null(policy.AttributeClaims);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void FromConfig_BlankAudienceAndIssuer_AreNotChecked(string? value)
    {
        var vp = new VirtualProxyConfig { JwtAttributeUserId = "sub", JwtAttributeUserDirectory = "dir", JwtAudience = value, JwtIssuer = value };

        var policy = JwtValidationPolicy.FromConfig(vp, Key);

        Assert.Null(policy.Audience);
        Assert.Null(policy.Issuer);
    }

    [Fact]
    public void FromConfig_MissingClaimNames_Throws()
    {
        Assert.Throws<ArgumentException>(() => JwtValidationPolicy.FromConfig(new VirtualProxyConfig { JwtAttributeUserDirectory = "dir", JwtAttributeUserId = "" }, Key));
        Assert.Throws<ArgumentNullException>(() => JwtValidationPolicy.FromConfig(new VirtualProxyConfig { JwtAttributeUserId = "sub" }, Key));
    }
}
