using Portico.Csrf;

namespace Portico.Tests.Unit.Csrf;

/// <summary>
/// Where a client puts the qlik-csrf-token (query parameter, request header, or enigma.js's
/// "…/app/engineData&amp;qlik-csrf-token=…" path form), and that it is taken out of what the engine sees
/// while every other byte of the URL stays as the client sent it.
/// </summary>
public sealed class CsrfTokenLocationTests
{
    private const string Token = "hK3_fQ9-abcDEF0123456789xyzXYZ_-AbCdEfGhIjK";

    /// <summary>What the pipeline does: step 1 cuts the path form from the raw path, step 6 reads the rest.</summary>
    private static Presented Extract(string path, string query = "", params (string Name, string Value)[] headers)
    {
        var dictionary = new HeaderDictionary();
        foreach (var (name, value) in headers)
        {
            dictionary.Append(name, value);
        }

        var marker = CsrfPathMarker.Extract(path);
        var presented = CsrfTokenLocation.Extract(marker.Token, new QueryString(query.Length == 0 ? null : query), dictionary);
        return new Presented(presented.Token, presented.AnyPresented, new PathString(marker.Path), presented.QueryWithoutToken);
    }

    private sealed record Presented(string? Token, bool AnyPresented, PathString PathWithoutToken, QueryString QueryWithoutToken);

    [Fact]
    public void Extract_NoTokenAnywhere_NothingPresentedAndTheUrlIsUnchanged()
    {
        var presented = Extract("/app/engineData", "?reloadUri=x");

        Assert.Null(presented.Token);
        Assert.False(presented.AnyPresented);
        Assert.Equal("/app/engineData", presented.PathWithoutToken.Value);
        Assert.Equal("?reloadUri=x", presented.QueryWithoutToken.Value);
    }

    [Theory]
    [InlineData("?qlik-csrf-token=" + Token, "")]
    [InlineData("?a=1&qlik-csrf-token=" + Token, "?a=1")]
    [InlineData("?qlik-csrf-token=" + Token + "&b=2", "?b=2")]
    [InlineData("?a=1&qlik-csrf-token=" + Token + "&b=2", "?a=1&b=2")]
    [InlineData("?Qlik-CSRF-Token=" + Token + "&b=2", "?b=2")]
    public void Extract_QueryParameter_IsTheTokenAndIsRemovedFromTheQuery(string query, string remaining)
    {
        var presented = Extract("/app/engineData", query);

        Assert.Equal(Token, presented.Token);
        Assert.True(presented.AnyPresented);
        Assert.Equal("/app/engineData", presented.PathWithoutToken.Value);
        Assert.Equal(remaining, presented.QueryWithoutToken.Value ?? "");
    }

    [Fact]
    public void Extract_QueryParameterRemoved_EveryOtherParameterStaysByteForByte()
    {
        var presented = Extract("/sheet", "?x=%41%2f&y=a+b&flag&qlik-csrf-token=" + Token + "&z=%zz&empty=&dup=1&dup=2");

        Assert.Equal(Token, presented.Token);
        Assert.Equal("?x=%41%2f&y=a+b&flag&z=%zz&empty=&dup=1&dup=2", presented.QueryWithoutToken.Value);
    }

    [Fact]
    public void Extract_PercentEncodedParameterName_IsStillRecognizedAndRemoved()
    {
        var presented = Extract("/app/engineData", "?qlik%2Dcsrf%2Dtoken=" + Token + "&a=1");

        Assert.Equal(Token, presented.Token);
        Assert.Equal("?a=1", presented.QueryWithoutToken.Value);
    }

    [Fact]
    public void Extract_Header_IsTheTokenAndTheUrlIsUnchanged()
    {
        var presented = Extract("/app/engineData", "?a=1", ("qlik-csrf-token", Token));

        Assert.Equal(Token, presented.Token);
        Assert.True(presented.AnyPresented);
        Assert.Equal("/app/engineData", presented.PathWithoutToken.Value);
        Assert.Equal("?a=1", presented.QueryWithoutToken.Value);
    }

    [Fact]
    public void Extract_EmptyHeader_IsNotAToken()
    {
        var presented = Extract("/app/engineData", "", ("qlik-csrf-token", ""));

        Assert.Null(presented.Token);
        Assert.False(presented.AnyPresented);
    }

    [Theory]
    [InlineData("/app/engineData&qlik-csrf-token=" + Token)]
    [InlineData("/app/engineData&QLIK-CSRF-TOKEN=" + Token)]
    public void Extract_PathFormWithoutSuffix_IsTheTokenAndIsCutFromThePath(string path)
    {
        var presented = Extract(path, "?reloadUri=https%3A%2F%2Fmashup.example.com");

        Assert.Equal(Token, presented.Token);
        Assert.True(presented.AnyPresented);
        Assert.Equal("/app/engineData", presented.PathWithoutToken.Value);
        Assert.Equal("?reloadUri=https%3A%2F%2Fmashup.example.com", presented.QueryWithoutToken.Value);
    }

    [Fact]
    public void Extract_PathFormFollowedByMorePath_TokenEndsAtTheSlash()
    {
        var presented = Extract("/app/engineData&qlik-csrf-token=" + Token + "/identity/tab2");

        Assert.Equal(Token, presented.Token);
        Assert.DoesNotContain(Token, presented.PathWithoutToken.Value, StringComparison.Ordinal);
        Assert.DoesNotContain("qlik-csrf-token", presented.PathWithoutToken.Value, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Extract_PathFormFollowedByAnotherAmpersandParameter_TokenEndsAtTheAmpersand()
    {
        var presented = Extract("/app/engineData&qlik-csrf-token=" + Token + "&ttl=60");

        Assert.Equal(Token, presented.Token);
        Assert.DoesNotContain(Token, presented.PathWithoutToken.Value, StringComparison.Ordinal);
    }

    /// <summary>Only the token is Portico's to remove: the segments after it still name what the client asked the engine for.</summary>
    [Fact]
    public void Extract_PathFormFollowedByMorePath_KeepsThePathAfterTheToken()
    {
        var presented = Extract("/app/engineData&qlik-csrf-token=" + Token + "/identity/tab2");

        Assert.Equal("/app/engineData/identity/tab2", presented.PathWithoutToken.Value);
    }

    [Fact]
    public void Extract_SameTokenInHeaderQueryAndPath_IsThatToken()
    {
        var presented = Extract("/app/engineData&qlik-csrf-token=" + Token, "?qlik-csrf-token=" + Token, ("qlik-csrf-token", Token));

        Assert.Equal(Token, presented.Token);
        Assert.Equal("/app/engineData", presented.PathWithoutToken.Value);
        Assert.False(presented.QueryWithoutToken.HasValue);
    }

    [Fact]
    public void Extract_HeaderAndQueryDisagree_NoTokenIsBelievedButBothAreRemoved()
    {
        var presented = Extract("/app/engineData", "?qlik-csrf-token=other&a=1", ("qlik-csrf-token", Token));

        Assert.Null(presented.Token);
        Assert.True(presented.AnyPresented);
        Assert.Equal("?a=1", presented.QueryWithoutToken.Value);
    }

    [Fact]
    public void Extract_PathAndQueryDisagree_NoTokenIsBelieved()
    {
        var presented = Extract("/app/engineData&qlik-csrf-token=" + Token, "?qlik-csrf-token=other");

        Assert.Null(presented.Token);
        Assert.True(presented.AnyPresented);
        Assert.Equal("/app/engineData", presented.PathWithoutToken.Value);
        Assert.False(presented.QueryWithoutToken.HasValue);
    }

    [Fact]
    public void Extract_HeaderSentTwiceWithDifferentValues_NoTokenIsBelieved()
    {
        var presented = Extract("/app/engineData", "", ("qlik-csrf-token", Token), ("qlik-csrf-token", "other"));

        Assert.Null(presented.Token);
        Assert.True(presented.AnyPresented);
    }

    /// <summary>"Several different values cannot all be right": that holds for a repeated query parameter too.</summary>
    [Fact]
    public void Extract_QueryParameterTwiceWithDifferentValues_NoTokenIsBelievedAndBothAreRemoved()
    {
        var presented = Extract("/app/engineData", "?qlik-csrf-token=" + Token + "&qlik-csrf-token=other&a=1");

        Assert.Null(presented.Token);
        Assert.True(presented.AnyPresented);
        Assert.Equal("?a=1", presented.QueryWithoutToken.Value);
    }
}
