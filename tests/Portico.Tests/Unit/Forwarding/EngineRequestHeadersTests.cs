using System.Collections.Frozen;
using System.Net;
using Portico.Forwarding;

namespace Portico.Tests.Unit.Forwarding;

public sealed class EngineRequestHeadersTests
{
    private static readonly FrozenSet<string> NoneProtected = FrozenSet<string>.Empty;
    private static readonly string[] SessionCookies = ["X-Qlik-Session", "X-Qlik-Session-ticket"];

    [Theory]
    // Qlik's identity headers and the whole X-Qlik- family, in any spelling.
    [InlineData("X-Qlik-User")]
    [InlineData("x-qlik-user")]
    [InlineData("X_QLIK_USER")]
    [InlineData("X-Qlik_User")]
    [InlineData(" x-qlik-user ")]
    [InlineData("\tX-Qlik-User")]
    [InlineData("X-Qlik-Security")]
    [InlineData("x_qlik_security")]
    [InlineData("X-Qlik-ProxySession")]
    [InlineData("X-Qlik-Session")]
    [InlineData("X-Qlik-Users")]
    [InlineData("X-Qlik-Virtual-Proxy-Prefix")]
    [InlineData("X-Qlik-Ticket")]
    // Where the request came from: Portico says so itself.
    [InlineData("X-Forwarded-For")]
    [InlineData("X-Forwarded-Host")]
    [InlineData("x_forwarded_host")]
    [InlineData("X-Forwarded-Port")]
    [InlineData("X-Forwarded-Server")]
    [InlineData("X-Forwarded-Proto")]
    [InlineData("X-Forwarded-Prefix")]
    [InlineData("Forwarded")]
    [InlineData("X-Real-IP")]
    [InlineData("X_Real_Ip")]
    [InlineData("True-Client-IP")]
    [InlineData("X-Client-IP")]
    // Path, host and method overrides.
    [InlineData("X-Original-URL")]
    [InlineData("X-Original-URI")]
    [InlineData("X-Original-Host")]
    [InlineData("X-Rewrite-URL")]
    [InlineData("X-HTTP-Method-Override")]
    [InlineData("x_http_method_override")]
    [InlineData("X-HTTP-Method")]
    [InlineData("X-Method-Override")]
    // Portico's credentials.
    [InlineData("Authorization")]
    [InlineData("authorization")]
    [InlineData("Proxy-Authorization")]
    [InlineData("qlik-csrf-token")]
    public void Judge_DeniedFamiliesInAnySpelling_AreDropped(string name)
    {
        Assert.Equal(EngineHeaderVerdict.Drop, EngineRequestHeaders.Judge(name, NoneProtected));
    }

    [Theory]
    [InlineData("X-Qlik-Xrfkey")]
    [InlineData("x-qlik-xrfkey")]
    [InlineData("Qlik-User")]
    [InlineData("X-Qlik")]
    [InlineData("Accept")]
    [InlineData("User-Agent")]
    [InlineData("Content-Type")]
    [InlineData("qlik-api-version")]
    [InlineData("X-Forwarded")]
    [InlineData("Sec-WebSocket-Protocol")]
    public void Judge_OrdinaryHeaders_AreKept(string name)
    {
        Assert.Equal(EngineHeaderVerdict.Keep, EngineRequestHeaders.Judge(name, NoneProtected));
    }

    [Theory]
    [InlineData("Cookie")]
    [InlineData("cookie")]
    public void Judge_Cookie_IsFiltered(string name)
    {
        Assert.Equal(EngineHeaderVerdict.FilterCookies, EngineRequestHeaders.Judge(name, NoneProtected));
    }

    [Theory]
    [InlineData("X-Remote-User")]
    [InlineData("x-remote-user")]
    [InlineData("X_REMOTE_USER")]
    [InlineData(" x_remote-user ")]
    public void Judge_AnyVirtualProxysAuthenticationHeaderInAnySpelling_IsDropped(string name)
    {
        var protectedNames = new[] { EngineRequestHeaders.Canonical("X_Remote_User") }.ToFrozenSet();

        Assert.Equal(EngineHeaderVerdict.Drop, EngineRequestHeaders.Judge(name, protectedNames));
        Assert.Equal(EngineHeaderVerdict.Keep, EngineRequestHeaders.Judge("X-Remote-Users", protectedNames));
    }

    [Theory]
    [InlineData("a=1; X-Qlik-Session=abc", "a=1")]
    [InlineData("X-Qlik-Session-ticket=live; a=1; b=2", "a=1; b=2")]
    [InlineData("X-Qlik-Session=one;X-Qlik-Session-ticket=two", "")]
    [InlineData("x-qlik-session=abc; a=1", "a=1")]
    [InlineData(" X-Qlik-Session = abc ;a=1", "a=1")]
    [InlineData("X-Qlik-Session-other=keep; a=1", "X-Qlik-Session-other=keep; a=1")]
    [InlineData("a=1", "a=1")]
    public void FilterCookies_EveryVirtualProxysSessionCookie_IsRemoved(string header, string expected)
    {
        Assert.Equal(expected, EngineRequestHeaders.FilterCookies([header], SessionCookies));
    }

    [Fact]
    public void FilterCookies_SeveralHeaders_AreJoined()
    {
        Assert.Equal("a=1; b=2", EngineRequestHeaders.FilterCookies(["a=1; X-Qlik-Session=x", "b=2"], SessionCookies));
    }

    [Fact]
    public void Forwarding_SetsThePublicHostAndTheClientAddressPorticoSaw()
    {
        var headers = EngineRequestHeaders.Forwarding(IPAddress.Parse("::ffff:192.0.2.7"), "https", "qlik.example.com", "/sales");

        Assert.Equal(new ForwardingHeaders("192.0.2.7", "https", "qlik.example.com", "/sales"), headers);
    }

    [Fact]
    public void Forwarding_DefaultVirtualProxy_HasNoPrefix()
    {
        var headers = EngineRequestHeaders.Forwarding(IPAddress.Loopback, "https", "qlik.example.com", "");

        Assert.Null(headers.Prefix);
    }
}
