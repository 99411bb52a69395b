using Portico.Cors;
using Portico.ResponseHeaders;

namespace Portico.Tests.Unit.Cors;

/// <summary>
/// The Access-Control-* lines admins copied from Qlik's article into additionalResponseHeaders: origins
/// become allow-list entries (a browser accepts one Access-Control-Allow-Origin value only), the other
/// lines merge into the CORS policy, and anything unsafe is an error naming its line.
/// </summary>
public sealed class CorsHeaderLinesTests
{
    private static CorsHeaderLines Extract(string text)
    {
        var parsed = AdditionalHeaderParser.Parse(text);
        Assert.True(parsed.IsValid, string.Join("; ", parsed.Errors));
        return CorsHeaderLines.Extract(parsed.Lines);
    }

    [Fact]
    public void Extract_TheArticlesLines_BecomeAllowListEntriesAndNoErrors()
    {
        var lines = Extract("""
            Access-Control-Allow-Origin: http://localhost:8080
            Access-Control-Allow-Credentials: true
            Access-Control-Expose-Headers: qlik-csrf-token
            """);

        Assert.Empty(lines.Errors);
        Assert.Equal(["http://localhost:8080"], lines.Origins);
        Assert.Equal(["qlik-csrf-token"], lines.ExposeHeaders);
        Assert.Null(lines.MaxAgeSeconds);
    }

    [Theory]
    [InlineData("Access-Control-Allow-Origin: https://a.test, https://b.test")]
    [InlineData("Access-Control-Allow-Origin: https://a.test,https://b.test")]
    [InlineData("Access-Control-Allow-Origin: https://a.test https://b.test")]
    [InlineData("Access-Control-Allow-Origin: https://a.test ,  https://b.test ,")]
    public void Extract_CommaOrSpaceSeparatedOrigins_AreEachAnEntry(string text)
    {
        var lines = Extract(text);

        Assert.Empty(lines.Errors);
        Assert.Equal(["https://a.test", "https://b.test"], lines.Origins);
    }

    [Fact]
    public void Extract_SeveralAllowOriginLines_AreMergedInOrder()
    {
        var lines = Extract("""
            Access-Control-Allow-Origin: https://a.test
            X-Frame-Options: SAMEORIGIN
            Access-Control-Allow-Origin: https://b.test, https://c.test
            access-control-allow-origin: https://d.test
            """);

        Assert.Empty(lines.Errors);
        Assert.Equal(["https://a.test", "https://b.test", "https://c.test", "https://d.test"], lines.Origins);
    }

    [Fact]
    public void Extract_AllowOriginLines_EachGetAWarningExplainingTheConversion()
    {
        var lines = Extract("Access-Control-Allow-Origin: https://a.test, https://b.test\nAccess-Control-Allow-Origin: https://c.test");

        Assert.Equal(2, lines.Warnings.Count);
        Assert.StartsWith("line 1: ", lines.Warnings[0], StringComparison.Ordinal);
        Assert.Contains("2 origin(s)", lines.Warnings[0], StringComparison.Ordinal);
        Assert.Contains("allow list", lines.Warnings[0], StringComparison.Ordinal);
        Assert.Contains("exactly the requesting origin", lines.Warnings[0], StringComparison.Ordinal);
        Assert.Contains("only one", lines.Warnings[0], StringComparison.Ordinal);
        Assert.StartsWith("line 2: ", lines.Warnings[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Access-Control-Allow-Origin: *")]
    [InlineData("Access-Control-Allow-Origin: https://a.test, *")]
    [InlineData("Access-Control-Allow-Origin: * https://a.test")]
    public void Extract_AnyOriginStar_IsAnErrorBecauseCredentialsAreAlwaysSent(string text)
    {
        var lines = Extract("Access-Control-Allow-Credentials: true\n" + text);

        var error = Assert.Single(lines.Errors);
        Assert.Equal(2, error.LineNumber);
        Assert.Contains("cannot be combined with credentials", error.Message, StringComparison.Ordinal);
        Assert.Contains("list the mashup origins", error.Message, StringComparison.Ordinal);
        Assert.Empty(lines.Origins);
    }

    [Theory]
    [InlineData("true")]
    [InlineData("TRUE")]
    [InlineData("True")]
    public void Extract_AllowCredentialsTrue_IsAccepted(string value)
    {
        var lines = Extract("Access-Control-Allow-Credentials: " + value);

        Assert.Empty(lines.Errors);
    }

    [Theory]
    [InlineData("false")]
    [InlineData("yes")]
    [InlineData("1")]
    [InlineData("true, true")]
    public void Extract_AllowCredentialsOtherThanTrue_IsAnError(string value)
    {
        var lines = Extract("Access-Control-Allow-Credentials: " + value);

        var error = Assert.Single(lines.Errors);
        Assert.Equal(1, error.LineNumber);
        Assert.Contains("can only be \"true\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Extract_ExposeHeadersOnSeveralLines_AreMerged()
    {
        var lines = Extract("Access-Control-Expose-Headers: qlik-csrf-token\nAccess-Control-Expose-Headers: X-Request-Id, X-Trace");

        Assert.Empty(lines.Errors);
        Assert.Equal(["qlik-csrf-token", "X-Request-Id", "X-Trace"], lines.ExposeHeaders);
    }

    [Fact]
    public void Extract_AllowMethodsAndAllowHeaders_AreCollected()
    {
        var lines = Extract("Access-Control-Allow-Methods: GET, PROPFIND\nAccess-Control-Allow-Headers: X-Custom, X-Other");

        Assert.Empty(lines.Errors);
        Assert.Equal(["GET", "PROPFIND"], lines.AllowMethods);
        Assert.Equal(["X-Custom", "X-Other"], lines.AllowHeaders);
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("600", 600)]
    [InlineData("7200", 7200)]
    public void Extract_MaxAgeUpToTwoHours_IsKept(string value, int expected)
    {
        var lines = Extract("Access-Control-Max-Age: " + value);

        Assert.Empty(lines.Errors);
        Assert.Equal(expected, lines.MaxAgeSeconds);
    }

    [Theory]
    [InlineData("7201")]
    [InlineData("86400")]
    [InlineData("-1")]
    [InlineData("+60")]
    [InlineData("1.5")]
    [InlineData("ten")]
    [InlineData("99999999999")]
    public void Extract_MaxAgeAboveTwoHoursOrNotANumber_IsAnError(string value)
    {
        var lines = Extract("Access-Control-Max-Age: " + value);

        var error = Assert.Single(lines.Errors);
        Assert.Contains("up to 7200", error.Message, StringComparison.Ordinal);
        Assert.Null(lines.MaxAgeSeconds);
    }

    [Theory]
    [InlineData("Access-Control-Allow-Private-Network: true")]
    [InlineData("Access-Control-Request-Method: POST")]
    [InlineData("Access-Control-Allow-Originn: https://a.test")]
    [InlineData("Access-Control-Foo: bar")]
    public void Extract_UnknownAccessControlHeader_IsAnErrorNamingIt(string text)
    {
        var lines = Extract("X-Frame-Options: DENY\n" + text);

        var error = Assert.Single(lines.Errors);
        Assert.Equal(2, error.LineNumber);
        Assert.Contains($"\"{text[..text.IndexOf(':', StringComparison.Ordinal)]}\" is not a CORS response header", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Extract_EveryBadLine_IsReported()
    {
        var lines = Extract("""
            Access-Control-Allow-Origin: *
            Access-Control-Allow-Credentials: false
            Access-Control-Max-Age: 86400
            Access-Control-Foo: bar
            """);

        Assert.Equal([1, 2, 3, 4], lines.Errors.Select(e => e.LineNumber));
    }

    [Fact]
    public void Extract_NoCorsLines_ReturnsAnEmptyResult()
    {
        var lines = Extract("X-Frame-Options: SAMEORIGIN\nContent-Security-Policy: frame-ancestors 'self'");

        Assert.Empty(lines.Origins);
        Assert.Empty(lines.ExposeHeaders);
        Assert.Empty(lines.AllowMethods);
        Assert.Empty(lines.AllowHeaders);
        Assert.Empty(lines.Errors);
        Assert.Empty(lines.Warnings);
        Assert.Null(lines.MaxAgeSeconds);
    }

    [Theory]
    [InlineData("Access-Control-Allow-Origin", true)]
    [InlineData("access-control-max-age", true)]
    [InlineData("ACCESS-CONTROL-FOO", true)]
    [InlineData("X-Access-Control-Allow-Origin", false)]
    [InlineData("Vary", false)]
    public void IsCorsHeader_MatchesTheAccessControlPrefixInAnyCase(string name, bool expected)
    {
        Assert.Equal(expected, CorsHeaderLines.IsCorsHeader(name));
    }
}
