using Portico.Configuration;
using Portico.ResponseHeaders;
using Portico.VirtualProxies;

namespace Portico.Tests.Unit.VirtualProxies;

public sealed class VirtualProxyTableTests
{
    private static readonly VirtualProxy Default = Vp("");
    private static readonly VirtualProxy Sales = Vp("sales");
    private static readonly VirtualProxy Hr = Vp("hr");

    private readonly VirtualProxyTable _withDefault = new([Sales, Default, Hr]);
    private readonly VirtualProxyTable _withoutDefault = new([Sales, Hr]);

    [Theory]
    [InlineData("/sales/app/engineData", "/app/engineData")]
    [InlineData("/sales", "/")]
    [InlineData("/sales/", "/")]
    [InlineData("/sales/hub/", "/hub/")]
    [InlineData("/SALES/x", "/x")]
    [InlineData("/Sales/app/engineData", "/app/engineData")]
    public void Select_PathUnderPrefix_SelectsThatVirtualProxyAndStripsThePrefix(string path, string remaining)
    {
        var selection = _withDefault.Select(path);

        Assert.NotNull(selection);
        Assert.Same(Sales, selection.Value.VirtualProxy);
        Assert.Equal(remaining, selection.Value.RemainingPath);
    }

    [Theory]
    [InlineData("/salesevil/x")]
    [InlineData("/sales.evil/x")]
    [InlineData("/sales-x")]
    [InlineData("/xsales/app")]
    [InlineData("/app/sales/x")]
    [InlineData("/")]
    [InlineData("/hub/")]
    public void Select_PathNotUnderAnyPrefix_SelectsDefaultWithTheFullPath(string path)
    {
        var selection = _withDefault.Select(path);

        Assert.NotNull(selection);
        Assert.Same(Default, selection.Value.VirtualProxy);
        Assert.Equal(path, selection.Value.RemainingPath);
    }

    [Fact]
    public void Select_SecondPrefix_SelectsItNotTheFirst()
    {
        var selection = _withDefault.Select("/hr/app/1");

        Assert.Same(Hr, selection!.Value.VirtualProxy);
        Assert.Equal("/app/1", selection.Value.RemainingPath);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/finance/app")]
    [InlineData("/salesevil/x")]
    public void Select_NoDefaultAndUnknownPrefix_ReturnsNull(string path)
    {
        Assert.Null(_withoutDefault.Select(path));
    }

    [Fact]
    public void Select_NoDefaultAndKnownPrefix_SelectsIt()
    {
        var selection = _withoutDefault.Select("/hr");

        Assert.Same(Hr, selection!.Value.VirtualProxy);
        Assert.Equal("/", selection.Value.RemainingPath);
    }

    [Fact]
    public void Select_NormalizedTraversalOutOfPrefix_SelectsTheOtherVirtualProxy()
    {
        // One normalized path decides: "/sales/../hr/x" is "/hr/x" and belongs to hr, never to sales.
        var normalized = RequestPathNormalizer.Normalize("/sales/%2e%2e/hr/x").Path!;

        var selection = _withDefault.Select(normalized);

        Assert.Same(Hr, selection!.Value.VirtualProxy);
        Assert.Equal("/x", selection.Value.RemainingPath);
    }

    [Theory]
    [InlineData("/%C5%BFales/x")]
    [InlineData("/s%D0%B0les/x")]
    [InlineData("/sales%E2%80%8B/x")]
    public void Select_UnicodeLookalikeOfPrefix_SelectsDefaultNotThePrefix(string raw)
    {
        // Long s, Cyrillic a, zero-width space: only ASCII case differences select a prefix.
        var normalized = RequestPathNormalizer.Normalize(raw).Path!;

        var selection = _withDefault.Select(normalized);

        Assert.Same(Default, selection!.Value.VirtualProxy);
        Assert.Equal(normalized, selection.Value.RemainingPath);
    }

    [Fact]
    public void All_KeepsConfigurationOrder()
    {
        Assert.Equal([Sales, Default, Hr], _withDefault.All);
    }

    [Fact]
    public void VirtualProxy_PrefixedAndDefault_HaveDistinctPathBaseAndRouteId()
    {
        Assert.Equal("/sales", Sales.PathBase);
        Assert.Equal("vp:sales", Sales.RouteId);
        Assert.Equal("", Default.PathBase);
        Assert.Equal("vp:(default)", Default.RouteId);
        Assert.Equal("(default)", Default.DisplayName);
    }

    private static VirtualProxy Vp(string prefix) =>
        new(
            new VirtualProxyConfig { Prefix = prefix, SessionCookieHeaderName = "X-Qlik-Session-" + prefix, LoadBalancingServerNodes = ["http://127.0.0.1:4747"] },
            ResponseHeaderSet.For(new HstsConfig(), []));
}
