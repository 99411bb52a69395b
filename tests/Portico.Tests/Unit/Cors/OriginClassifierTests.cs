using Microsoft.Extensions.Primitives;
using Portico.Cors;

namespace Portico.Tests.Unit.Cors;

/// <summary>How a request's Origin relates to the proxy: absent, its own, allowed, or anything else (refused).</summary>
public sealed class OriginClassifierTests
{
    private static readonly WebOrigin Own = OriginClassifier.OwnOrigin("localhost", 8443);
    private static readonly OriginAllowList AllowList = OriginAllowList.TryCreate(["https://mashup.example.com", "*.example.org"], out _)!;

    private static string Classify(StringValues header, out WebOrigin? origin) =>
        OriginClassifier.Classify(header, Own, AllowList, out origin).ToString();

    [Fact]
    public void Classify_NoOriginHeader_IsAbsent()
    {
        Assert.Equal(nameof(OriginCheck.Absent), Classify(StringValues.Empty, out var origin));
        Assert.Null(origin);
    }

    [Theory]
    [InlineData("https://localhost:8443")]
    [InlineData("HTTPS://LOCALHOST:8443")]
    public void Classify_TheProxysOwnOrigin_IsSameOrigin(string header)
    {
        Assert.Equal(nameof(OriginCheck.SameOrigin), Classify(header, out var origin));
        Assert.Equal(Own, origin);
    }

    [Theory]
    [InlineData("https://mashup.example.com")]
    [InlineData("https://a.example.org")]
    public void Classify_AllowListedOrigin_IsAllowed(string header)
    {
        Assert.Equal(nameof(OriginCheck.Allowed), Classify(header, out var origin));
        Assert.Equal(WebOrigin.Parse(header), origin);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("https://evil.test")]
    [InlineData("http://localhost:8443")]
    [InlineData("https://localhost")]
    [InlineData("https://localhost:8444")]
    [InlineData("https://mashup.example.com/")]
    [InlineData("https://mashup.example.com, https://evil.test")]
    [InlineData("")]
    public void Classify_ForeignNullOrMalformed_IsNotAllowed(string header)
    {
        Assert.Equal(nameof(OriginCheck.NotAllowed), Classify(header, out _));
    }

    [Fact]
    public void Classify_OriginSentTwice_IsNotAllowedEvenWhenBothAreAllowed()
    {
        Assert.Equal(nameof(OriginCheck.NotAllowed), Classify(new StringValues(["https://mashup.example.com", "https://mashup.example.com"]), out _));
    }

    [Theory]
    [InlineData("localhost", 8443, "https://localhost:8443")]
    [InlineData("Portico.Example.com", 443, "https://portico.example.com")]
    [InlineData("portico.example.com:9443", 8443, "https://portico.example.com:9443")]
    public void OwnOrigin_IsHttpsOnThePublicHost(string publicHost, int httpsPort, string expected)
    {
        Assert.Equal(expected, OriginClassifier.OwnOrigin(publicHost, httpsPort).ToString());
    }
}
