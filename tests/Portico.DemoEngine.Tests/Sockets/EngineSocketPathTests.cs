using Portico.DemoEngine.Sockets;

namespace Portico.DemoEngine.Tests.Sockets;

public sealed class EngineSocketPathTests
{
    [Theory]
    [InlineData("/app/engineData", "engineData")]
    [InlineData("/app/engineData/identity/abc", "engineData")]
    [InlineData("/app/Sales%20Demo.qvf", "Sales Demo.qvf")]
    [InlineData("/app/Sales%20Demo.qvf/ttl/30?reloadUri=x", "Sales Demo.qvf")]
    [InlineData("/app/a%2Fb", "a/b")]
    [InlineData("/app/100%2541", "100%41")]
    [InlineData("/APP/x", "x")]
    [InlineData("http://engine:4747/app/x?y", "x")]
    public void TryParse_EnginePath_DecodesAppIdOnce(string target, string expected)
    {
        Assert.True(EngineSocketPath.TryParse(target, out var appId));
        Assert.Equal(expected, appId);
    }

    [Theory]
    [InlineData("/app")]
    [InlineData("/app/")]
    [InlineData("/app?x=1")]
    [InlineData("/")]
    [InlineData("/?reloadUri=x")]
    [InlineData("http://engine:4747/?y")]
    public void TryParse_NoAppId_IsGlobalContext(string target)
    {
        Assert.True(EngineSocketPath.TryParse(target, out var appId));
        Assert.Null(appId);
    }

    [Theory]
    [InlineData("//")]
    [InlineData("/apps/x")]
    [InlineData("/hub/app/x")]
    public void TryParse_OtherPath_IsRejected(string target)
    {
        Assert.False(EngineSocketPath.TryParse(target, out _));
    }
}
