using Portico.Csrf;
using Portico.VirtualProxies;

namespace Portico.Tests.Unit.Csrf;

/// <summary>The path form of the token is cut before the path is normalized and judged.</summary>
public sealed class CsrfPathMarkerTests
{
    [Theory]
    [InlineData("/app/engineData&qlik-csrf-token=T", "/app/engineData", "T")]
    [InlineData("/app/engineData&QLIK-CSRF-TOKEN=T", "/app/engineData", "T")]
    [InlineData("/app/engineData&qlik-csrf-token=T/identity/x", "/app/engineData/identity/x", "T")]
    [InlineData("/app/engineData&qlik-csrf-token=a%2Bb", "/app/engineData", "a+b")]
    [InlineData("/&qlik-csrf-token=T", "/", "T")]
    [InlineData("&qlik-csrf-token=T", "/", "T")]
    public void Extract_OneMarker_IsCutWithItsValue(string raw, string path, string token)
    {
        var result = CsrfPathMarker.Extract(raw);

        Assert.Null(result.Error);
        Assert.Equal(path, result.Path);
        Assert.Equal(token, result.Token);
    }

    [Fact]
    public void Extract_NoMarker_PathIsUnchanged()
    {
        var result = CsrfPathMarker.Extract("/app/engineData");

        Assert.Equal("/app/engineData", result.Path);
        Assert.Null(result.Token);
        Assert.Null(result.Error);
    }

    [Theory]
    [InlineData("/app/x&qlik-csrf-token=A&qlik-csrf-token=B")]
    [InlineData("/app/x&qlik-csrf-token=A/y&QLIK-csrf-token=B")]
    public void Extract_TwoMarkers_IsRefused(string raw)
    {
        Assert.NotNull(CsrfPathMarker.Extract(raw).Error);
    }

    [Theory]
    // The marker inside a dot segment: cut first, the path it leaves is what is judged.
    [InlineData("/x/..&qlik-csrf-token=Z/qps/user", "/qps/user")]
    [InlineData("/sales/..&qlik-csrf-token=Z/other/app", "/other/app")]
    public void ExtractThenNormalize_MarkerInADotSegment_YieldsThePathEveryStepSees(string raw, string normalized)
    {
        var result = CsrfPathMarker.Extract(raw);

        Assert.Equal(normalized, RequestPathNormalizer.Normalize(result.Path).Path);
    }

    [Fact]
    public void ExtractThenNormalize_MarkerThatClimbsAboveTheRoot_IsRefused()
    {
        var result = CsrfPathMarker.Extract("/..&qlik-csrf-token=Z/app/engineData");

        Assert.False(RequestPathNormalizer.Normalize(result.Path).IsValid);
    }

    [Fact]
    public void Remains_PercentEncodedMarker_IsFoundAfterDecoding()
    {
        var raw = "/app/x%26qlik-csrf-token%3DZ";
        var result = CsrfPathMarker.Extract(raw);

        Assert.Null(result.Token);
        Assert.True(CsrfPathMarker.Remains(RequestPathNormalizer.Normalize(result.Path).Path!));
    }
}
