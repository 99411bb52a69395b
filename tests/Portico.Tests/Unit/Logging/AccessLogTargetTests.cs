using Portico.Logging;

namespace Portico.Tests.Unit.Logging;

/// <summary>The redaction rule of the access log: which values never reach it (docs/operations.md, "Access log").</summary>
public sealed class AccessLogTargetTests
{
    [Theory]
    [InlineData("?qlikTicket=T0pS3cret", "?qlikTicket=***")]
    [InlineData("?QLIKTICKET=T0pS3cret&page=2", "?QLIKTICKET=***&page=2")]
    [InlineData("?qlik-csrf-token=T0pS3cret", "?qlik-csrf-token=***")]
    [InlineData("?xrfkey=0123456789abcdef", "?xrfkey=***")]
    [InlineData("?access_token=T0pS3cret&id_token=T0pS3cret", "?access_token=***&id_token=***")]
    [InlineData("?code=T0pS3cret&state=abc", "?code=***&state=abc")]
    [InlineData("?SAMLResponse=T0pS3cret", "?SAMLResponse=***")]
    [InlineData("?password=T0pS3cret&user=bob", "?password=***&user=bob")]
    [InlineData("?X-Amz-Signature=T0pS3cret", "?X-Amz-Signature=***")]
    [InlineData("?qlik%54icket=T0pS3cret", "?qlik%54icket=***")]
    [InlineData("?qlik+ticket=T0pS3cret", "?qlik+ticket=***")]
    [InlineData("?%E0%A4%A=T0pS3cret", "?%E0%A4%A=***")]
    [InlineData("?%FF=T0pS3cret", "?%FF=***")]
    [InlineData("?a=1&&qlikTicket=T0pS3cret&b=2", "?a=1&&qlikTicket=***&b=2")]
    public void Query_SecretParameter_KeepsItsNameAndHidesItsValue(string query, string logged)
    {
        Assert.Equal(logged, AccessLogTarget.Query(query));
        Assert.DoesNotContain("T0pS3cret", AccessLogTarget.Query(query), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("?page=2&sheet=abc")]
    [InlineData("?reloadUri=x&identity=y")]
    [InlineData("?flag")]
    [InlineData("?qlikTicket")]
    [InlineData("?qlikTicket=")]
    public void Query_NothingSecret_IsLoggedAsSent(string query)
    {
        Assert.Same(query, AccessLogTarget.Query(query));
    }

    [Fact]
    public void Query_None_IsEmpty()
    {
        Assert.Equal("", AccessLogTarget.Query(null));
        Assert.Equal("", AccessLogTarget.Query(""));
    }

    [Theory]
    [InlineData("/app/engineData&qlik-csrf-token=T0pS3cret", "/app/engineData&qlik-csrf-token=***")]
    [InlineData("/app/doc&qlik-csrf-token=T0pS3cret/more", "/app/doc&qlik-csrf-token=***/more")]
    [InlineData("/a&qlikTicket=T0pS3cret/b&token=T0pS3cret", "/a&qlikTicket=***/b&token=***")]
    [InlineData("/hub/a&b", "/hub/a&b")]
    public void Path_EnigmaTokenForm_IsRedactedLikeAQuery(string path, string logged)
    {
        Assert.Equal(logged, AccessLogTarget.Path(path));
    }

    [Fact]
    public void Path_ControlCharacters_AreEscapedSoNoLineCanBeForged()
    {
        Assert.Equal(@"/app/x\u000A200 forged", AccessLogTarget.Path("/app/x\n200 forged"));
    }

    [Fact]
    public void Path_Plain_IsTheSameString()
    {
        const string path = "/app/portico-demo/echo";
        Assert.Same(path, AccessLogTarget.Path(path));
    }
}
