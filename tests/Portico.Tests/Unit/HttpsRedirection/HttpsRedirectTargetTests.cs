using Microsoft.AspNetCore.Http;
using Portico.HttpsRedirection;

namespace Portico.Tests.Unit.HttpsRedirection;

public sealed class HttpsRedirectTargetTests
{
    [Fact]
    public void Build_HostWithoutPort_AddsHttpsListenerPort()
    {
        var location = HttpsRedirectTarget.Build("qlik.example.com", 8443, new PathString("/sales/hub"), new QueryString("?q=1"));

        Assert.Equal("https://qlik.example.com:8443/sales/hub?q=1", location);
    }

    [Theory]
    [InlineData("?qlikTicket=abc", "")]
    [InlineData("?QlikTicket=abc", "")]
    [InlineData("?X-Qlik-Ticket=abc", "")]
    [InlineData("?QLIKTICKET=abc&x-qlik-ticket=def", "")]
    [InlineData("?a=1&qlikTicket=abc&b=%20", "?a=1&b=%20")]
    [InlineData("?qlik%54icket=abc&b=2", "?b=2")]
    [InlineData("?qlikTicket&b=2", "?b=2")]
    [InlineData("?ticket=keep&qlikTickets=keep", "?ticket=keep&qlikTickets=keep")]
    public void Build_QueryWithTicket_LeavesEveryTicketSpellingOutAndKeepsTheRest(string query, string expectedQuery)
    {
        var location = HttpsRedirectTarget.Build("qlik.example.com", 443, new PathString("/ticket/hub"), new QueryString(query));

        Assert.Equal("https://qlik.example.com/ticket/hub" + expectedQuery, location);
    }

    [Fact]
    public void Build_HttpsPort443_OmitsPort()
    {
        var location = HttpsRedirectTarget.Build("qlik.example.com", 443, new PathString("/sales/hub"), QueryString.Empty);

        Assert.Equal("https://qlik.example.com/sales/hub", location);
    }

    [Fact]
    public void Build_HostWithItsOwnPort_WinsOverListenerPort()
    {
        var location = HttpsRedirectTarget.Build("bi.example.com:9443", 8443, new PathString("/hub"), QueryString.Empty);

        Assert.Equal("https://bi.example.com:9443/hub", location);
    }

    [Fact]
    public void Build_HostWithPort443AndListenerPort8443_KeepsConfiguredPort()
    {
        var location = HttpsRedirectTarget.Build("bi.example.com:443", 8443, new PathString("/hub"), QueryString.Empty);

        Assert.Equal("https://bi.example.com:443/hub", location);
    }

    [Fact]
    public void Build_NoPath_RedirectsToRoot()
    {
        var location = HttpsRedirectTarget.Build("qlik.example.com", 8443, PathString.Empty, QueryString.Empty);

        Assert.Equal("https://qlik.example.com:8443/", location);
    }

    [Theory]
    [InlineData("//evil.com/x")]
    [InlineData("///evil.com/x")]
    [InlineData("/\\evil.com/x")]
    [InlineData("/@evil.com/x")]
    public void Build_PathThatLooksLikeAnotherHost_StaysAPathOnTheConfiguredHost(string path)
    {
        var location = HttpsRedirectTarget.Build("qlik.example.com", 8443, new PathString(path), QueryString.Empty);

        Assert.StartsWith("https://qlik.example.com:8443/", location, StringComparison.Ordinal);
        var uri = new Uri(location);
        Assert.Equal("qlik.example.com", uri.Host);
        Assert.Equal(8443, uri.Port);
        Assert.Equal("", uri.UserInfo);
    }

    [Fact]
    public void Build_DoubleSlashPath_IsKeptVerbatimAfterTheAuthority()
    {
        var location = HttpsRedirectTarget.Build("qlik.example.com", 8443, new PathString("//evil.com/x"), QueryString.Empty);

        Assert.Equal("https://qlik.example.com:8443//evil.com/x", location);
    }

    [Fact]
    public void Build_Query_IsPreservedExactly()
    {
        var location = HttpsRedirectTarget.Build("qlik.example.com", 443, new PathString("/sense/app/1"), new QueryString("?a=1&b=two%20words&c=%2F"));

        Assert.Equal("https://qlik.example.com/sense/app/1?a=1&b=two%20words&c=%2F", location);
    }

    [Fact]
    public void Build_Ipv6HostWithoutPort_AddsListenerPortAfterTheBracket()
    {
        var location = HttpsRedirectTarget.Build("[::1]", 8443, new PathString("/hub"), QueryString.Empty);

        Assert.Equal("https://[::1]:8443/hub", location);
        Assert.Equal(8443, new Uri(location).Port);
    }

    [Fact]
    public void Build_Ipv6HostWithPort_KeepsItsPort()
    {
        var location = HttpsRedirectTarget.Build("[::1]:9443", 8443, new PathString("/hub"), QueryString.Empty);

        Assert.Equal("https://[::1]:9443/hub", location);
    }

    [Fact]
    public void Build_SpacesAndUnicodeInPath_AreEscaped()
    {
        var location = HttpsRedirectTarget.Build("qlik.example.com", 443, new PathString("/sales/my app/été"), QueryString.Empty);

        Assert.Equal("https://qlik.example.com/sales/my%20app/%C3%A9t%C3%A9", location);
    }

    [Fact]
    public void Build_CrLfInPath_IsEscapedSoItCannotSplitTheLocationHeader()
    {
        var location = HttpsRedirectTarget.Build("qlik.example.com", 443, new PathString("/a\r\nSet-Cookie: x=1"), QueryString.Empty);

        Assert.DoesNotContain('\r', location);
        Assert.DoesNotContain('\n', location);
        Assert.Equal("https://qlik.example.com/a%0D%0ASet-Cookie:%20x=1", location);
    }

    [Fact]
    public void Build_QuestionMarkAndHashInPath_AreEscapedAndDoNotBecomeQueryOrFragment()
    {
        var location = HttpsRedirectTarget.Build("qlik.example.com", 443, new PathString("/a?b#c"), new QueryString("?q=1"));

        Assert.Equal("https://qlik.example.com/a%3Fb%23c?q=1", location);
        Assert.Equal("?q=1", new Uri(location).Query);
    }
}
