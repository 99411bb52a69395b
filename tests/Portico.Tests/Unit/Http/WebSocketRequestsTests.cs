using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Portico.Http;

namespace Portico.Tests.Unit.Http;

public sealed class WebSocketRequestsTests
{
    [Theory]
    [InlineData("HTTP/1.1", true)]
    [InlineData("HTTP/1.0", false)]
    [InlineData("HTTP/2", false)]
    public void MayUpgrade_AsksHttp11RequestsTheirUpgradeFeature_Http10NeverUpgrades(string protocol, bool expected)
    {
        var context = Request(protocol);
        context.Features.Set<IHttpUpgradeFeature>(new Upgrade(isUpgradable: true));

        Assert.Equal(expected, WebSocketRequests.MayUpgrade(context));
    }

    [Theory]
    [InlineData("HTTP/2", true)]
    [InlineData("HTTP/3", true)]
    [InlineData("HTTP/1.1", false)]
    public void MayUpgrade_AsksHttp2And3RequestsForExtendedConnect(string protocol, bool expected)
    {
        var context = Request(protocol);
        context.Features.Set<IHttpExtendedConnectFeature>(new ExtendedConnect(isExtendedConnect: true));

        Assert.Equal(expected, WebSocketRequests.MayUpgrade(context));
    }

    [Theory]
    [InlineData("HTTP/1.1")]
    [InlineData("HTTP/2")]
    public void MayUpgrade_IsFalseForAPlainRequest(string protocol)
    {
        var context = Request(protocol);
        context.Features.Set<IHttpUpgradeFeature>(new Upgrade(isUpgradable: false));
        context.Features.Set<IHttpExtendedConnectFeature>(new ExtendedConnect(isExtendedConnect: false));

        Assert.False(WebSocketRequests.MayUpgrade(context));
        Assert.False(WebSocketRequests.MayUpgrade(Request(protocol)));
    }

    [Theory]
    [InlineData("HTTP/1.0", "websocket", true)]
    [InlineData("HTTP/1.0", "h2c", true)]
    [InlineData("HTTP/1.0", null, false)]
    [InlineData("HTTP/1.1", "websocket", false)]
    [InlineData("HTTP/2", "websocket", false)]
    public void IsHttp10Upgrade_OnlyAnHttp10RequestWithAnUpgradeHeader(string protocol, string? upgrade, bool expected)
    {
        var context = Request(protocol);
        if (upgrade is not null)
        {
            context.Request.Headers.Upgrade = upgrade;
            context.Request.Headers.Connection = "Upgrade";
        }

        Assert.Equal(expected, WebSocketRequests.IsHttp10Upgrade(context));
    }

    private static DefaultHttpContext Request(string protocol)
    {
        var context = new DefaultHttpContext();
        context.Request.Protocol = protocol;
        return context;
    }

    private sealed class Upgrade(bool isUpgradable) : IHttpUpgradeFeature
    {
        public bool IsUpgradableRequest => isUpgradable;

        public Task<Stream> UpgradeAsync() => throw new NotSupportedException();
    }

    private sealed class ExtendedConnect(bool isExtendedConnect) : IHttpExtendedConnectFeature
    {
        public bool IsExtendedConnect => isExtendedConnect;

        public string? Protocol => isExtendedConnect ? "websocket" : null;

        public ValueTask<Stream> AcceptAsync() => throw new NotSupportedException();
    }
}
