using Portico.Tests.Functional.CrossOrigin;
using Portico.Tests.Support;

namespace Portico.Tests.Functional;

/// <summary>
/// What the engine sees of a client's request: no session cookie of any virtual proxy, Portico's own
/// forwarding headers built from the configured public host, none of the client's headers that tell
/// a server where a request came from, which path or which method it is, no client Authorization on
/// a virtual proxy that does not use it; TRACE and TRACK are never sent. And what the client sees of
/// the engine: not its Server header.
/// </summary>
public sealed class EngineRequestTests(EngineRequestFixture fixture) : IClassFixture<EngineRequestFixture>
{
    private EngineRequestFixture Host => fixture;

    [Fact]
    public async Task SessionCookiesOfEveryVirtualProxy_NeverReachTheEngine_OtherCookiesDo()
    {
        var sessionA = await Host.NewSessionAsync("a");
        var sessionB = await Host.NewSessionAsync("b");
        var a = EngineRequestFixture.CookieName("a");
        var b = EngineRequestFixture.CookieName("b");

        var response = await Host.SendAsync($"""
            GET /b/portico-demo/echo HTTP/1.1
            Host: localhost
            Cookie: {a}={sessionA}; theme=dark; {b}={sessionB}; {a.ToUpperInvariant()}={sessionA}; lang=en
            """);

        Assert.Equal(200, response.Status);
        var headers = ProxyHygieneTests.EchoedHeaders(response.Body);
        Assert.Equal("theme=dark; lang=en", headers["cookie"]);
        Assert.DoesNotContain(headers.Values, v => v.Contains(sessionA, StringComparison.Ordinal) || v.Contains(sessionB, StringComparison.Ordinal));

        // The request still acted in b's session.
        Assert.Empty(response.All("Set-Cookie"));
    }

    [Fact]
    public async Task ForwardingHeaders_ComeFromPortico_XForwardedHostIsThePublicHostWhateverTheClientSends()
    {
        var response = await Host.SendAsync("""
            GET /b/portico-demo/echo HTTP/1.1
            Host: evil.example
            X-Forwarded-Host: evil.example
            X-Forwarded-For: 6.6.6.6
            X-Forwarded-Proto: http
            X-Forwarded-Prefix: /evil
            """);

        Assert.Equal(200, response.Status);
        var headers = ProxyHygieneTests.EchoedHeaders(response.Body);
        Assert.Equal(EngineRequestFixture.PublicHost, headers["x-forwarded-host"]);
        Assert.Equal("127.0.0.1", headers["x-forwarded-for"]);
        Assert.Equal("https", headers["x-forwarded-proto"]);
        Assert.Equal("/b", headers["x-forwarded-prefix"]);
    }

    [Theory]
    [InlineData("X-Forwarded-Port")]
    [InlineData("x_forwarded_port")]
    [InlineData("X-Forwarded-Server")]
    [InlineData("X_FORWARDED_SERVER")]
    [InlineData("X-Real-IP")]
    [InlineData("x_real_ip")]
    [InlineData("Forwarded")]
    [InlineData("FORWARDED")]
    [InlineData("X-Original-URL")]
    [InlineData("x_original_url")]
    [InlineData("X-Rewrite-URL")]
    [InlineData("X_Rewrite_Url")]
    [InlineData("X-HTTP-Method-Override")]
    [InlineData("x-http-method-override")]
    [InlineData("X_HTTP_METHOD_OVERRIDE")]
    public async Task ClientHeaderThatRedirectsOrRenamesTheRequest_InAnySpelling_NeverReachesTheEngine(string name)
    {
        var marker = CrossOriginHost.Marker();

        var response = await Host.SendAsync($"""
            GET /b/portico-demo/echo HTTP/1.1
            Host: localhost
            {name}: /{marker}
            """);

        Assert.Equal(200, response.Status);
        var headers = ProxyHygieneTests.EchoedHeaders(response.Body);
        Assert.DoesNotContain(headers.Keys, k => string.Equals(k.Replace('_', '-'), name.Replace('_', '-'), StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(headers.Values, v => v.Contains(marker, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Authorization", "Basic YWRtaW46YWRtaW4=")]
    [InlineData("authorization", "Bearer eyJhbGciOiJub25lIn0.e30.")]
    public async Task ClientAuthorization_OnAVirtualProxyThatDoesNotUseIt_NeverReachesTheEngine(string name, string value)
    {
        var response = await Host.SendAsync($"""
            GET /b/portico-demo/echo HTTP/1.1
            Host: localhost
            {name}: {value}
            """);

        Assert.Equal(200, response.Status);
        var headers = ProxyHygieneTests.EchoedHeaders(response.Body);
        Assert.False(headers.ContainsKey(name), $"{name} reached the engine");
        Assert.DoesNotContain(headers.Values, v => v.Contains(value, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("TRACE")]
    [InlineData("TRACK")]
    [InlineData("trace")]
    public async Task TraceAndTrack_Are405WithAllow_AndNothingReachesTheEngine(string method)
    {
        var marker = CrossOriginHost.Marker();

        var response = await Host.SendAsync($"""
            {method} /b/portico-demo/echo/{marker} HTTP/1.1
            Host: localhost
            X-Qlik-User: UserDirectory=CORP; UserId=admin
            """);

        Assert.Equal(405, response.Status);
        var allow = response.Header("Allow");
        Assert.False(string.IsNullOrEmpty(allow), "a 405 must say what is allowed");
        Assert.Contains("GET", allow, StringComparison.Ordinal);
        Assert.DoesNotContain("TRACE", allow, StringComparison.OrdinalIgnoreCase);
        Assert.False(Host.Engine.Saw(marker), $"{method} reached the engine");
    }

    [Fact]
    public async Task EngineServerHeader_NeverReachesTheClient()
    {
        // The demo engine is Kestrel, which names itself; Portico's own Kestrel does not.
        using (var direct = new HttpClient { BaseAddress = Host.Engine.BaseAddress })
        using (var fromEngine = await direct.GetAsync("portico-demo/echo"))
        {
            Assert.NotEmpty(fromEngine.Headers.Server);
        }

        var response = await Host.SendAsync("GET /b/portico-demo/echo HTTP/1.1\nHost: localhost\n");

        Assert.Equal(200, response.Status);
        Assert.Empty(response.All("Server"));
    }
}
