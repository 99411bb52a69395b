using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Portico.Authentication;
using Portico.Configuration;
using Portico.Forwarding;

namespace Portico.Tests.Unit.Forwarding;

/// <summary>The token an engine in jwt mode authenticates a connection with, and how long Portico reuses it.</summary>
public sealed class EngineTokenIssuerTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly RSA RsaKey = RSA.Create(2048);

    private static readonly AuthenticatedUser Alice = new("CORP", "alice")
    {
        Attributes = [new("group", "Sales"), new("email", "alice@example.com"), new("Group", "EMEA")],
    };

    [Fact]
    public void Sign_User_CarriesSubDirectoryGroupsAndAShortLifetime()
    {
        var issuer = Issuer(new EngineJwtConfig { LifetimeSeconds = 300, Issuer = "portico", Audience = "qlik-core" });

        var token = Read(issuer.Sign(Alice, Now), RsaKey);

        Assert.Equal("RS256", token.Alg);
        Assert.Equal("alice", token.Subject);
        Assert.Equal("CORP", token.GetPayloadValue<string>(EngineTokenIssuer.UserDirectoryClaim));
        Assert.Equal(["Sales", "EMEA"], token.GetPayloadValue<List<string>>(EngineTokenIssuer.GroupsClaim));
        Assert.Equal(Now.UtcDateTime, token.IssuedAt);
        Assert.Equal(Now.AddSeconds(300).UtcDateTime, token.ValidTo);
        Assert.Equal("portico", token.Issuer);
        Assert.Equal(["qlik-core"], token.Audiences);
        Assert.False(token.TryGetPayloadValue<string>("email", out _));
    }

    [Fact]
    public void Sign_UserWithoutGroups_HasNoGroupsClaim()
    {
        var token = Read(Issuer(new EngineJwtConfig()).Sign(new AuthenticatedUser("ANONYMOUS", "anon-1"), Now), RsaKey);

        Assert.False(token.TryGetPayloadValue<object>(EngineTokenIssuer.GroupsClaim, out _));
        Assert.Equal("anon-1", token.Subject);
    }

    [Fact]
    public void Sign_ConfiguredGroupsAttribute_IsTheOneRead()
    {
        var token = Read(Issuer(new EngineJwtConfig { GroupsAttribute = "email" }).Sign(Alice, Now), RsaKey);

        Assert.Equal(["alice@example.com"], token.GetPayloadValue<List<string>>(EngineTokenIssuer.GroupsClaim));
    }

    [Fact]
    public void Sign_DirectoryAndUserIdSubject_NamesBoth()
    {
        var token = Read(Issuer(new EngineJwtConfig { Subject = EngineJwtSubject.DirectoryAndUserId }).Sign(Alice, Now), RsaKey);

        Assert.Equal("CORP\\alice", token.Subject);
    }

    [Fact]
    public void Sign_EcKey_SignsEs256()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var key = EngineSigningKey.TryParse(ec.ExportECPrivateKeyPem(), null, out var error)!;
        Assert.Null(error);

        var token = Read(new EngineTokenIssuer(key, new EngineJwtConfig()).Sign(Alice, Now), ec);

        Assert.Equal("ES256", token.Alg);
    }

    [Fact]
    public void AuthorizationFor_WithinHalfTheLifetime_ReusesTheToken()
    {
        var issuer = Issuer(new EngineJwtConfig { LifetimeSeconds = 300 });

        var first = issuer.AuthorizationFor(Alice, Now);
        var again = issuer.AuthorizationFor(Alice, Now.AddSeconds(149));

        Assert.StartsWith("Bearer ", first, StringComparison.Ordinal);
        Assert.Same(first, again);
    }

    [Fact]
    public void AuthorizationFor_AfterHalfTheLifetime_SignsANewToken()
    {
        var issuer = Issuer(new EngineJwtConfig { LifetimeSeconds = 300 });

        var first = issuer.AuthorizationFor(Alice, Now);
        var later = issuer.AuthorizationFor(Alice, Now.AddSeconds(150));

        Assert.NotEqual(first, later);
        Assert.Equal(Now.AddSeconds(450).UtcDateTime, Read(later["Bearer ".Length..], RsaKey).ValidTo);
    }

    [Fact]
    public void AuthorizationFor_ClockTurnedBack_SignsANewToken()
    {
        var issuer = Issuer(new EngineJwtConfig { LifetimeSeconds = 300 });

        var first = issuer.AuthorizationFor(Alice, Now);

        Assert.NotEqual(first, issuer.AuthorizationFor(Alice, Now.AddSeconds(-10)));
    }

    [Fact]
    public void AuthorizationFor_AnotherUser_GetsItsOwnToken()
    {
        var issuer = Issuer(new EngineJwtConfig());

        var alice = issuer.AuthorizationFor(Alice, Now);
        var bob = issuer.AuthorizationFor(new AuthenticatedUser("CORP", "bob"), Now);

        Assert.Equal("bob", Read(bob["Bearer ".Length..], RsaKey).Subject);
        Assert.Equal("alice", Read(alice["Bearer ".Length..], RsaKey).Subject);
    }

    private static EngineTokenIssuer Issuer(EngineJwtConfig config)
    {
        var key = EngineSigningKey.TryParse(RsaKey.ExportRSAPrivateKeyPem(), config.Algorithm, out var error);
        Assert.Null(error);
        return new EngineTokenIssuer(key!, config);
    }

    private static JsonWebToken Read(string token, AsymmetricAlgorithm publicKey)
    {
        SecurityKey key = publicKey is RSA rsa ? new RsaSecurityKey(rsa) : new ECDsaSecurityKey((ECDsa)publicKey);
        var result = new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            IssuerSigningKey = key,
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
        }).GetAwaiter().GetResult();
        Assert.True(result.IsValid, result.Exception?.Message);
        return (JsonWebToken)result.SecurityToken;
    }
}
