using Microsoft.AspNetCore.Http;
using Portico.QpsApi;

namespace Portico.Tests.Unit.QpsApi;

public sealed class XrfKeyTests
{
    private const string Key = "abcdefGHIJ012345";

    [Fact]
    public void Check_SameValidKeyInBoth_IsValid()
    {
        var check = XrfKey.Check(Key, Key);

        Assert.True(check.IsValid);
        Assert.Null(check.FailureReason);
    }

    [Fact]
    public void Check_QueryMissing_Invalid()
    {
        Assert.Equal(XrfKey.QueryMissingReason, XrfKey.Check(null, Key).FailureReason);
    }

    [Fact]
    public void Check_HeaderMissing_Invalid()
    {
        Assert.Equal(XrfKey.HeaderMissingReason, XrfKey.Check(Key, null).FailureReason);
    }

    [Fact]
    public void Check_BothMissing_ReportsQueryFirst()
    {
        Assert.Equal(XrfKey.QueryMissingReason, XrfKey.Check(null, null).FailureReason);
    }

    [Fact]
    public void Check_DifferentValues_Invalid()
    {
        Assert.Equal(XrfKey.DifferReason, XrfKey.Check(Key, "0123456789abcdef").FailureReason);
    }

    [Fact]
    public void Check_ValuesDifferOnlyInCase_Invalid()
    {
        Assert.Equal(XrfKey.DifferReason, XrfKey.Check("abcdefghijklmnop", "ABCDEFGHIJKLMNOP").FailureReason);
    }

    [Theory]
    [InlineData("abcdefghijklmno")]
    [InlineData("abcdefghijklmnopq")]
    [InlineData("")]
    [InlineData("abcdefghijklmno-")]
    [InlineData("abcdefghijklmno_")]
    [InlineData("abcdefghijklmno ")]
    [InlineData(" abcdefghijklmno")]
    [InlineData("abcdefghijklmno\u00e9")]
    [InlineData("abcdefghijklmno\u0661")]
    [InlineData("abcdefghijklmn\r\n")]
    [InlineData("abcdefghijklmno%")]
    [InlineData("\uff41bcdefghijklmno")]
    public void Check_SameValueButNot16Alphanumerics_Invalid(string value)
    {
        var check = XrfKey.Check(value, value);

        Assert.False(check.IsValid);
        Assert.Equal(XrfKey.FormatReason, check.FailureReason);
    }

    [Theory]
    [InlineData("0000000000000000")]
    [InlineData("ZZZZZZZZZZZZZZZZ")]
    [InlineData("zzzzzzzzzzzzzzzz")]
    [InlineData("a1B2c3D4e5F6g7H8")]
    public void Check_Any16Alphanumerics_IsValid(string value)
    {
        Assert.True(XrfKey.Check(value, value).IsValid);
    }

    [Theory]
    [InlineData("xrfkey")]
    [InlineData("XRFKEY")]
    [InlineData("XrfKey")]
    public void Check_Request_QueryNameInAnyCase_IsValid(string name)
    {
        var request = Request($"?{name}={Key}", Key);

        Assert.True(XrfKey.Check(request).IsValid);
    }

    [Fact]
    public void Check_Request_HeaderNameInAnyCase_IsValid()
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString("?xrfkey=" + Key);
        context.Request.Headers["x-qlik-xrfkey"] = Key;

        Assert.True(XrfKey.Check(context.Request).IsValid);
    }

    [Fact]
    public void Check_Request_NoQuery_Invalid()
    {
        Assert.Equal(XrfKey.QueryMissingReason, XrfKey.Check(Request("", Key)).FailureReason);
    }

    [Fact]
    public void Check_Request_NoHeader_Invalid()
    {
        Assert.Equal(XrfKey.HeaderMissingReason, XrfKey.Check(Request("?xrfkey=" + Key, null)).FailureReason);
    }

    [Fact]
    public void Check_Request_EmptyQueryValue_Invalid()
    {
        Assert.Equal(XrfKey.DifferReason, XrfKey.Check(Request("?xrfkey=", Key)).FailureReason);
    }

    [Fact]
    public void Check_Request_QueryGivenTwice_Invalid()
    {
        var request = Request($"?xrfkey={Key}&XRFKEY={Key}", Key);

        Assert.Equal(XrfKey.QueryRepeatedReason, XrfKey.Check(request).FailureReason);
    }

    [Fact]
    public void Check_Request_HeaderGivenTwice_Invalid()
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString("?xrfkey=" + Key);
        context.Request.Headers.Append(XrfKey.HeaderName, Key);
        context.Request.Headers.Append(XrfKey.HeaderName, Key);

        Assert.Equal(XrfKey.HeaderRepeatedReason, XrfKey.Check(context.Request).FailureReason);
    }

    [Fact]
    public void Check_Request_HeaderWithCommaJoinedValues_Invalid()
    {
        var request = Request("?xrfkey=" + Key, Key + "," + Key);

        Assert.False(XrfKey.Check(request).IsValid);
    }

    [Fact]
    public void Check_Request_PercentEncodedQueryValue_ComparedDecoded()
    {
        // "%61" is "a": the query collection decodes it, the header is compared with the decoded value.
        var request = Request("?xrfkey=%61bcdefGHIJ012345", Key);

        Assert.True(XrfKey.Check(request).IsValid);
    }

    private static HttpRequest Request(string query, string? header)
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString(query);
        if (header is not null)
        {
            context.Request.Headers[XrfKey.HeaderName] = header;
        }

        return context.Request;
    }
}
