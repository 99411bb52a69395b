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
        Assert.Equal("SecureRequest=true; Context=AppAccess", IdentityHeaders.FormatSecurity(true));
        Assert.Equal("SecureRequest=false; Context=AppAccess", IdentityHeaders.FormatSecurity(false));
    }
}
