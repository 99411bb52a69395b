using Microsoft.AspNetCore.Http;
using Portico.Configuration;
using Portico.ResponseHeaders;

namespace Portico.Tests.Unit.ResponseHeaders;

public sealed class ResponseHeaderSetTests
{
    private const string Sts = "Strict-Transport-Security";

    [Fact]
    public void For_NoOwnStsLine_UsesGlobalHsts()
    {
        var set = ResponseHeaderSet.For(new HstsConfig { MaxAgeSeconds = 31_536_000, IncludeSubDomains = true }, [new HeaderLine(1, "X-Frame-Options", "DENY")]);

        Assert.Equal(
            [(Sts, "max-age=31536000; includeSubDomains"), ("X-Frame-Options", "DENY")],
            set.Headers.Select(h => (h.Key, h.Value.ToString())));
    }

    [Fact]
    public void For_DefaultHsts_SendsOneYearWithoutSubDomains()
    {
        var set = ResponseHeaderSet.For(new HstsConfig(), []);

        var header = Assert.Single(set.Headers);
        Assert.Equal(Sts, header.Key);
        Assert.Equal("max-age=31536000", header.Value.ToString());
    }

    [Fact]
    public void For_HstsWithPreload_WritesAllDirectives()
    {
        var set = ResponseHeaderSet.For(new HstsConfig { MaxAgeSeconds = 63_072_000, IncludeSubDomains = true, Preload = true }, []);

        Assert.Equal("max-age=63072000; includeSubDomains; preload", Assert.Single(set.Headers).Value.ToString());
    }

    [Fact]
    public void For_OwnStsLine_ReplacesGlobalHstsWithoutDuplicate()
    {
        var lines = AdditionalHeaderParser.Parse("X-Frame-Options: DENY\nstrict-transport-security: max-age=31536000;includeSubDomains;Preload").Lines;

        var set = ResponseHeaderSet.For(new HstsConfig { MaxAgeSeconds = 600 }, lines);

        var sts = Assert.Single(set.Headers, h => h.Key.Equals(Sts, StringComparison.OrdinalIgnoreCase));
        Assert.Equal("max-age=31536000;includeSubDomains;Preload", sts.Value.ToString());
        Assert.Equal(2, set.Headers.Count);
    }

    [Fact]
    public void For_HstsDisabled_SendsNoSts()
    {
        var set = ResponseHeaderSet.For(new HstsConfig { Enabled = false }, [new HeaderLine(1, "X-A", "1")]);

        Assert.DoesNotContain(set.Headers, h => h.Key.Equals(Sts, StringComparison.OrdinalIgnoreCase));
        Assert.Equal("X-A", Assert.Single(set.Headers).Key);
    }

    [Fact]
    public void For_HstsDisabledButOwnStsLine_SendsTheOwnLine()
    {
        var set = ResponseHeaderSet.For(new HstsConfig { Enabled = false }, [new HeaderLine(1, Sts, "max-age=60")]);

        Assert.Equal([(Sts, "max-age=60")], set.Headers.Select(h => (h.Key, h.Value.ToString())));
    }

    [Fact]
    public void ForNoVirtualProxy_HstsEnabled_SendsOnlySts()
    {
        var set = ResponseHeaderSet.ForNoVirtualProxy(new HstsConfig { MaxAgeSeconds = 3600 });

        Assert.Equal([(Sts, "max-age=3600")], set.Headers.Select(h => (h.Key, h.Value.ToString())));
    }

    [Fact]
    public void ForNoVirtualProxy_HstsDisabled_SendsNothing()
    {
        Assert.Empty(ResponseHeaderSet.ForNoVirtualProxy(new HstsConfig { Enabled = false }).Headers);
    }

    [Fact]
    public void ApplyTo_HeaderAlreadySetByEngine_ReplacesItsValue()
    {
        var set = ResponseHeaderSet.For(new HstsConfig(), [new HeaderLine(1, "X-Frame-Options", "DENY")]);
        var response = new HeaderDictionary
        {
            ["x-frame-options"] = "ALLOWALL",
            [Sts] = "max-age=0",
            ["Content-Type"] = "text/html",
        };

        set.ApplyTo(response);

        Assert.Equal("DENY", response["X-Frame-Options"].ToString());
        Assert.Single(response["X-Frame-Options"]);
        Assert.Equal("max-age=31536000", response[Sts].ToString());
        Assert.Equal("text/html", response["Content-Type"].ToString());
        Assert.Equal(3, response.Count);
    }

    [Fact]
    public void ApplyTo_EmptyResponse_AddsEveryHeader()
    {
        var set = ResponseHeaderSet.For(new HstsConfig(), AdditionalHeaderParser.Parse("X-A: 1\nX-B: 2").Lines);
        var response = new HeaderDictionary();

        set.ApplyTo(response);

        Assert.Equal("1", response["X-A"].ToString());
        Assert.Equal("2", response["X-B"].ToString());
        Assert.Equal("max-age=31536000", response[Sts].ToString());
        Assert.Equal(3, response.Count);
    }
}
