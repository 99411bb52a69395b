using Portico.Cors;

namespace Portico.Tests.Unit.Cors;

/// <summary>RFC 6454 origins: what an Origin header (or a configured full origin) may be, and how it is normalized.</summary>
public sealed class WebOriginTests
{
    [Theory]
    [InlineData("https://mashup.example.com", "https", "mashup.example.com", 443)]
    [InlineData("HTTPS://Mashup.Example.COM", "https", "mashup.example.com", 443)]
    [InlineData("https://mashup.example.com:443", "https", "mashup.example.com", 443)]
    [InlineData("https://mashup.example.com:8443", "https", "mashup.example.com", 8443)]
    [InlineData("http://mashup.example.com", "http", "mashup.example.com", 80)]
    [InlineData("http://mashup.example.com:80", "http", "mashup.example.com", 80)]
    [InlineData("http://localhost:8080", "http", "localhost", 8080)]
    [InlineData("https://127.0.0.1:4443", "https", "127.0.0.1", 4443)]
    [InlineData("https://xn--bcher-kva.example", "https", "xn--bcher-kva.example", 443)]
    public void Parse_SchemeHostAndPort_NormalizesCaseAndMakesTheDefaultPortExplicit(string value, string scheme, string host, int port)
    {
        var origin = WebOrigin.Parse(value);

        Assert.Equal(new WebOrigin(scheme, host, port), origin);
    }

    [Theory]
    [InlineData("https://Mashup.Example.com:443", "https://mashup.example.com")]
    [InlineData("http://mashup.example.com:80", "http://mashup.example.com")]
    [InlineData("https://mashup.example.com:8443", "https://mashup.example.com:8443")]
    [InlineData("http://mashup.example.com:443", "http://mashup.example.com:443")]
    [InlineData("https://[::1]:8443", "https://[::1]:8443")]
    public void ToString_SerializesAsBrowsersDo_DefaultPortOmitted(string value, string expected)
    {
        Assert.Equal(expected, WebOrigin.Parse(value)!.Value.ToString());
    }

    [Fact]
    public void Parse_SameOriginWrittenTwoWays_IsEqual()
    {
        Assert.Equal(WebOrigin.Parse("https://mashup.example.com"), WebOrigin.Parse("HTTPS://MASHUP.example.com:443"));
        Assert.NotEqual(WebOrigin.Parse("https://mashup.example.com"), WebOrigin.Parse("http://mashup.example.com"));
        Assert.NotEqual(WebOrigin.Parse("https://mashup.example.com"), WebOrigin.Parse("https://mashup.example.com:8443"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("NULL")]
    [InlineData("mashup.example.com")]
    [InlineData("//mashup.example.com")]
    [InlineData("https://")]
    public void Parse_NullEmptyOrNoScheme_ReturnsNull(string? value)
    {
        Assert.Null(WebOrigin.Parse(value));
    }

    [Theory]
    [InlineData("https://mashup.example.com/")]
    [InlineData("https://mashup.example.com/app")]
    [InlineData("https://mashup.example.com:8443/")]
    [InlineData("https://mashup.example.com?x=1")]
    [InlineData("https://mashup.example.com#frag")]
    public void Parse_PathQueryOrFragment_ReturnsNull(string value)
    {
        Assert.Null(WebOrigin.Parse(value));
    }

    [Theory]
    [InlineData("https://user@mashup.example.com")]
    [InlineData("https://user:secret@mashup.example.com")]
    [InlineData("https://mashup.example.com@evil.test")]
    public void Parse_UserInfo_ReturnsNull(string value)
    {
        Assert.Null(WebOrigin.Parse(value));
    }

    [Theory]
    [InlineData("https://*.example.com")]
    [InlineData("*")]
    [InlineData("https://*")]
    public void Parse_Wildcard_ReturnsNull(string value)
    {
        Assert.Null(WebOrigin.Parse(value));
    }

    [Theory]
    [InlineData("ftp://mashup.example.com")]
    [InlineData("ws://mashup.example.com")]
    [InlineData("wss://mashup.example.com")]
    [InlineData("file:///etc/passwd")]
    [InlineData("javascript:alert(1)")]
    [InlineData("data:text/html,x")]
    [InlineData("chrome-extension://abcdefghijklmnop")]
    public void Parse_SchemeOtherThanHttpOrHttps_ReturnsNull(string value)
    {
        Assert.Null(WebOrigin.Parse(value));
    }

    [Theory]
    [InlineData("https://mashup.example.com\r\nX-Injected: 1")]
    [InlineData("https://mashup.example.com\n")]
    [InlineData("https://mashup.example.com\t")]
    [InlineData("https://mashup.example.com\0")]
    [InlineData(" https://mashup.example.com")]
    [InlineData("https://mashup.example.com ")]
    [InlineData("https://exa mple.com")]
    [InlineData("https://bücher.example")]
    [InlineData("https://mashup.example.com\u007f")]
    public void Parse_ControlCharactersSpacesOrNonAscii_ReturnsNull(string value)
    {
        Assert.Null(WebOrigin.Parse(value));
    }

    [Theory]
    [InlineData("https://a.test, https://b.test")]
    [InlineData("https://a.test,https://b.test")]
    [InlineData("https://a.test https://b.test")]
    public void Parse_ListOfOrigins_ReturnsNull(string value)
    {
        Assert.Null(WebOrigin.Parse(value));
    }

    [Theory]
    [InlineData("https://mashup.example.com:99999")]
    [InlineData("https://mashup.example.com:-1")]
    [InlineData("https://mashup.example.com:+443")]
    [InlineData("https://mashup.example.com:https")]
    public void Parse_InvalidPort_ReturnsNull(string value)
    {
        Assert.Null(WebOrigin.Parse(value));
    }

    [Fact]
    public void Parse_OverlongValue_ReturnsNull()
    {
        Assert.Null(WebOrigin.Parse("https://" + new string('a', 2100) + ".example.com"));
    }
}
