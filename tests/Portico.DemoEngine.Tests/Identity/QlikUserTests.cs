using Portico.DemoEngine.Identity;

namespace Portico.DemoEngine.Tests.Identity;

public sealed class QlikUserTests
{
    [Theory]
    [InlineData("UserDirectory=CORP; UserId=alice", "CORP", "alice")]
    [InlineData("userdirectory=CORP;userid=alice", "CORP", "alice")]
    [InlineData("  USERID = alice ;  UserDirectory =  CORP  ", "CORP", "alice")]
    [InlineData("UserDirectory=CORP; UserId=alice; Attribute=x", "CORP", "alice")]
    public void TryParse_WellFormedHeader_ReadsDirectoryAndId(string header, string directory, string id)
    {
        Assert.True(QlikUser.TryParse(header, out var user));
        Assert.Equal(directory, user.Directory);
        Assert.Equal(id, user.Id);
    }

    [Fact]
    public void TryParse_PercentEncodedValues_DecodesOnce()
    {
        Assert.True(QlikUser.TryParse("UserDirectory=ACME%20EU; UserId=o%27brien%3Bx%3Dy%2541", out var user));

        Assert.Equal("ACME EU", user.Directory);
        Assert.Equal("o'brien;x=y%41", user.Id);
    }

    [Fact]
    public void TryParse_PlusSign_StaysLiteral()
    {
        Assert.True(QlikUser.TryParse("UserDirectory=CORP; UserId=alice+test", out var user));

        Assert.Equal("alice+test", user.Id);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("UserDirectory=CORP")]
    [InlineData("UserId=alice")]
    [InlineData("UserDirectory=; UserId=alice")]
    [InlineData("UserDirectory=CORP; UserId=%20")]
    [InlineData("CORP\\alice")]
    [InlineData("UserDirectory=CORP; UserId=alice; UserId=mallory")]
    [InlineData("=CORP; UserId=alice")]
    public void TryParse_MissingOrAmbiguousHeader_Fails(string? header)
    {
        Assert.False(QlikUser.TryParse(header, out var user));
        Assert.Null(user);
    }

    [Fact]
    public void ToString_AnyUser_UsesQlikFormatWithDecodedValues()
    {
        Assert.True(QlikUser.TryParse("UserDirectory=ACME%20EU;UserId=bob%3B1", out var user));

        Assert.Equal("UserDirectory=ACME EU; UserId=bob;1", user.ToString());
    }

    [Theory]
    [InlineData("ANONYMOUS", true)]
    [InlineData("anonymous", true)]
    [InlineData("CORP", false)]
    public void IsAnonymous_Directory_MatchesAnonymousDirectoryOnly(string directory, bool expected)
    {
        Assert.Equal(expected, new QlikUser(directory, "x").IsAnonymous);
    }
}
