using System.Text.Json;
using Portico.Authentication.Oidc;
using Portico.Configuration;

namespace Portico.Tests.Unit.Authentication.Oidc;

public sealed class OidcClaimMapTests
{
    private static readonly OidcClaimMap Map = OidcClaimMap.FromConfig(new VirtualProxyConfig
    {
        AuthenticationMethod = AuthenticationMethod.Oidc,
        OidcAttributeMap = [new OidcAttributeMapItem { OidcAttribute = "department", SenseAttribute = "dept", IsMandatory = true }],
    });

    private static OidcMapping MapJson(string json, OidcClaimMap? map = null)
    {
        using var document = JsonDocument.Parse(json);
        return (map ?? Map).Map(document.RootElement, "CORP");
    }

    [Fact]
    public void Map_FullClaims_UserFromSubAndRealmWithQlikAttributesInOrder()
    {
        var mapping = MapJson("""{"sub":"alice","name":"Alice","groups":["Sales","Analysts"],"email":"a@example.test","client_id":"c1","picture":"https://p/1","department":"42","iss":"x"}""");

        Assert.NotNull(mapping.User);
        Assert.Equal("CORP", mapping.User.UserDirectory);
        Assert.Equal("alice", mapping.User.UserId);
        Assert.Equal(
            [new("name", "Alice"), new("group", "Sales"), new("group", "Analysts"), new("email", "a@example.test"), new("clientId", "c1"), new("picture", "https://p/1"), new("dept", "42")],
            mapping.User.Attributes);
    }

    [Fact]
    public void Map_OptionalClaimsAbsent_OnlyMandatoryNeeded()
    {
        var mapping = MapJson("""{"sub":"alice","department":"42"}""");

        Assert.Equal([new("dept", "42")], mapping.User!.Attributes);
    }

    [Theory]
    [InlineData("""{"department":"42"}""", "claim 'sub' (oidcAttributeSub) is missing")]
    [InlineData("""{"sub":42,"department":"42"}""", "claim 'sub' (oidcAttributeSub) is missing or not a non-empty string")]
    [InlineData("""{"sub":"","department":"42"}""", "not a non-empty string")]
    [InlineData("""{"sub":"alice"}""", "mandatory claim 'department' is missing")]
    [InlineData("""{"sub":"alice","department":"42","groups":[1]}""", "claim 'groups' is neither a string nor an array")]
    [InlineData("""{"sub":"alice","department":"42","name":{"a":1}}""", "claim 'name' is neither a string")]
    [InlineData("""{"sub":"al\u0000ice","department":"42"}""", "claim 'sub'")]
    public void Map_BadClaims_FailClosedWithReason(string json, string reason)
    {
        var mapping = MapJson(json);

        Assert.Null(mapping.User);
        Assert.Contains(reason, mapping.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_TooManyGroups_Refused()
    {
        var groups = string.Join(",", Enumerable.Range(0, OidcClaimMap.MaxValuesPerClaim + 1).Select(i => $"\"g{i}\""));

        Assert.Null(MapJson($$"""{"sub":"alice","department":"42","groups":[{{groups}}]}""").User);
    }

    [Fact]
    public void Map_OtherSubClaim_UsesIt()
    {
        var map = OidcClaimMap.FromConfig(new VirtualProxyConfig { OidcAttributeSub = "preferred_username" });

        Assert.Equal("alice@corp", MapJson("""{"sub":"0001","preferred_username":"alice@corp"}""", map).User!.UserId);
    }

    [Theory]
    [InlineData("openid profile", "openid profile")]
    [InlineData("profile email", "openid profile email")]
    [InlineData("  profile   profile ", "openid profile")]
    [InlineData(null, "openid")]
    public void ScopeWithOpenId_AlwaysAsksForOpenIdOnce(string? scope, string expected) =>
        Assert.Equal(expected, OidcSettings.ScopeWithOpenId(scope));
}
