using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Portico.DemoEngine.Identity;

namespace Portico.DemoEngine.Tests.Identity;

/// <summary>The demo engine's Qlik Core mode: who a bearer token names, and which tokens it refuses.</summary>
public sealed class EngineJwtValidatorTests
{
    private static readonly RSA Key = RSA.Create(2048);
    private static readonly EngineJwtValidator Validator = new(Key.ExportSubjectPublicKeyInfoPem());

    [Fact]
    public async Task ValidateAsync_SubDirectoryAndGroups_NameTheUser()
    {
        var (user, refusal) = await Validator.ValidateAsync(Token(new() { ["sub"] = "alice", ["userDirectory"] = "CORP", ["groups"] = new List<string> { "Sales", "EMEA" } }));

        Assert.Null(refusal);
        Assert.Equal(new QlikUser("CORP", "alice"), user!.User);
        Assert.Equal(["Sales", "EMEA"], user.Groups);
    }

    [Theory]
    [InlineData("CORP\\alice", "CORP", "alice")]
    [InlineData("alice", EngineJwtValidator.DefaultDirectory, "alice")]
    public async Task ValidateAsync_SubjectWithoutDirectoryClaim_IsSplitOrGetsTheDefaultDirectory(string subject, string directory, string id)
    {
        var (user, _) = await Validator.ValidateAsync(Token(new() { ["sub"] = subject }));

        Assert.Equal(new QlikUser(directory, id), user!.User);
        Assert.Empty(user.Groups);
    }

    [Fact]
    public async Task ValidateAsync_Expired_IsRefused()
    {
        var (user, refusal) = await Validator.ValidateAsync(Token(new() { ["sub"] = "alice" }, expiresIn: TimeSpan.FromMinutes(-2)));

        Assert.Null(user);
        Assert.NotNull(refusal);
    }

    [Fact]
    public async Task ValidateAsync_WithoutExpiry_IsRefused()
    {
        var (user, _) = await Validator.ValidateAsync(Token(new() { ["sub"] = "alice" }, noExpiry: true));

        Assert.Null(user);
    }

    [Fact]
    public async Task ValidateAsync_SignedByAnotherKey_IsRefused()
    {
        using var other = RSA.Create(2048);

        var (user, _) = await Validator.ValidateAsync(Token(new() { ["sub"] = "alice" }, key: new RsaSecurityKey(other)));

        Assert.Null(user);
    }

    [Fact]
    public async Task ValidateAsync_HmacWithThePublicKeyAsSecret_IsRefused()
    {
        var secret = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(Key.ExportSubjectPublicKeyInfoPem()));

        var (user, _) = await Validator.ValidateAsync(Token(new() { ["sub"] = "alice" }, key: secret, algorithm: SecurityAlgorithms.HmacSha256));

        Assert.Null(user);
    }

    [Fact]
    public async Task ValidateAsync_WithoutSub_IsRefused()
    {
        var (user, refusal) = await Validator.ValidateAsync(Token(new() { ["userDirectory"] = "CORP" }));

        Assert.Null(user);
        Assert.Equal("no sub claim", refusal);
    }

    [Fact]
    public async Task ValidateAsync_Garbage_IsRefused()
    {
        var (user, _) = await Validator.ValidateAsync("not-a-token");

        Assert.Null(user);
    }

    /// <param name="expiresIn">From now; five minutes when null.</param>
    private static string Token(Dictionary<string, object> claims, TimeSpan? expiresIn = null, bool noExpiry = false, SecurityKey? key = null, string algorithm = SecurityAlgorithms.RsaSha256)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            IssuedAt = now.AddMinutes(-10),
            Expires = noExpiry ? null : now + (expiresIn ?? TimeSpan.FromMinutes(5)),
            SigningCredentials = new SigningCredentials(key ?? new RsaSecurityKey(Key), algorithm),
        });
    }
}
