using Portico.Authentication;
using Portico.Forwarding;

namespace Portico.Tests.Unit.Forwarding;

public sealed class IdentityHeadersTests
{
    [Fact]
    public void FormatUser_PlainValues_UsesQlikFormat()
    {
        Assert.Equal("UserDirectory=CORP; UserId=alice", IdentityHeaders.FormatUser(new AuthenticatedUser("CORP", "alice")));
    }

    [Fact]
    public void FormatUser_UserIdWithSeparator_CannotInjectASecondField()
    {
        var value = IdentityHeaders.FormatUser(new AuthenticatedUser("CORP", "a; UserDirectory=EVIL"));

        Assert.Equal("UserDirectory=CORP; UserId=a%3B%20UserDirectory%3DEVIL", value);
        Assert.Single(value.Split(';'), part => part.Trim().StartsWith("UserDirectory=", StringComparison.Ordinal));
        Assert.DoesNotContain("UserDirectory=EVIL", value, StringComparison.Ordinal);
    }

    [Fact]
    public void FormatUser_DirectoryWithSeparator_CannotInjectASecondField()
    {
        var value = IdentityHeaders.FormatUser(new AuthenticatedUser("CORP; UserId=admin", "alice"));

        Assert.Equal(2, value.Split("; ").Length);
        Assert.EndsWith("; UserId=alice", value, StringComparison.Ordinal);
        Assert.DoesNotContain("UserId=admin", value, StringComparison.Ordinal);
    }

    [Fact]
    public void FormatUser_ControlAndNonAsciiCharacters_AreEncoded()
    {
        var value = IdentityHeaders.FormatUser(new AuthenticatedUser("CORP", "j\u00F6rg\r\nX-Qlik-User: x"));

        Assert.DoesNotContain('\r', value);
        Assert.DoesNotContain('\n', value);
        Assert.All(value, c => Assert.InRange(c, ' ', '~'));
        Assert.Equal("UserDirectory=CORP; UserId=j%C3%B6rg%0D%0AX-Qlik-User%3A%20x", value);
    }

    [Fact]
    public void FormatSecurity_SecureAndPlainRequests_DifferOnlyInSecureRequest()
    {
        Assert.Equal("SecureRequest=true; Context=AppAccess;", IdentityHeaders.FormatSecurity(true, []));
        Assert.Equal("SecureRequest=false; Context=AppAccess;", IdentityHeaders.FormatSecurity(false, []));
    }

    [Fact]
    public void FormatSecurity_Attributes_FollowAsNameValuePairsInOrder()
    {
        var value = IdentityHeaders.FormatSecurity(true, [new("group", "Sales"), new("group", "EMEA Admins"), new("email", "a@example.com")]);

        Assert.Equal("SecureRequest=true; Context=AppAccess; group=Sales; group=EMEA%20Admins; email=a%40example.com;", value);
    }

    [Theory]
    [InlineData("Sales; Context=ManagementAccess")]
    [InlineData("x; SecureRequest=true")]
    [InlineData("a=b")]
    [InlineData("line\r\nX-Qlik-User: admin")]
    public void FormatSecurity_ValueWithSeparators_CannotForgeAnotherAttribute(string attribute)
    {
        var value = IdentityHeaders.FormatSecurity(true, [new("group", attribute)]);

        var pairs = value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(["SecureRequest=true", "Context=AppAccess", "group=" + Uri.EscapeDataString(attribute)], pairs);
        Assert.All(pairs, pair => Assert.Single(pair, '='));
        Assert.All(value, c => Assert.InRange(c, ' ', '~'));
    }

    [Fact]
    public void FormatSecurity_NameWithSeparators_CannotForgeAnotherAttribute()
    {
        var value = IdentityHeaders.FormatSecurity(true, [new("Context=ManagementAccess; group", "x")]);

        Assert.Equal("SecureRequest=true; Context=AppAccess; Context%3DManagementAccess%3B%20group=x;", value);
    }

    [Fact]
    public void FormatProxyId_GuidAndPrefix_UsesQlikFormat()
    {
        var id = new Guid("3f2504e0-4f89-41d3-9a0c-0305e82c3301");

        Assert.Equal("ProxyId=3f2504e0-4f89-41d3-9a0c-0305e82c3301; Prefix=sales", IdentityHeaders.FormatProxyId(id, "sales"));
        Assert.Equal("ProxyId=3f2504e0-4f89-41d3-9a0c-0305e82c3301; Prefix=", IdentityHeaders.FormatProxyId(id, ""));
    }

    [Fact]
    public void ProxyIdentity_FromPublicHost_IsStableCaseInsensitiveAndAVersion8Uuid()
    {
        var id = ProxyIdentity.FromPublicHost("bi.example.com");

        Assert.Equal(id, ProxyIdentity.FromPublicHost("BI.example.com"));
        Assert.NotEqual(id, ProxyIdentity.FromPublicHost("bi2.example.com"));
        var text = id.ToString("D");
        Assert.Equal('8', text[14]);
        Assert.Contains(text[19], "89ab");
    }

    [Fact]
    public void ProxyIdentity_Configured_WinsOverThePublicHost()
    {
        var config = new Portico.Configuration.PorticoConfig { PublicHost = "bi.example.com", ProxyId = "3f2504e0-4f89-41d3-9a0c-0305e82c3301" };

        Assert.Equal(new Guid("3f2504e0-4f89-41d3-9a0c-0305e82c3301"), ProxyIdentity.Of(config));
        Assert.Equal(ProxyIdentity.FromPublicHost("bi.example.com"), ProxyIdentity.Of(config with { ProxyId = null }));
    }
}
