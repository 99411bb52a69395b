using Portico.Cors;

namespace Portico.Tests.Unit.Cors;

/// <summary>
/// Qlik's host allow list (websocketCrossOriginWhiteList): a bare host admits any scheme and port, a
/// full origin only itself, and "*.domain" whole-label subdomains only (docs/security.md: lookalike
/// origins, wrong scheme and unlisted port are refused).
/// </summary>
public sealed class OriginAllowListTests
{
    private static OriginAllowList Create(params string[] entries)
    {
        var list = OriginAllowList.TryCreate(entries, out var errors);
        Assert.True(list is not null, "entries refused: " + string.Join("; ", errors));
        Assert.Empty(errors);
        return list!;
    }

    private static bool Allows(OriginAllowList list, string origin) =>
        list.Allows(WebOrigin.Parse(origin) ?? throw new ArgumentException($"test origin '{origin}' does not parse", nameof(origin)));

    // Bare host: Qlik's meaning is that host on any scheme and port.
    [Theory]
    [InlineData("https://mashup.example.com")]
    [InlineData("http://mashup.example.com")]
    [InlineData("https://mashup.example.com:8443")]
    [InlineData("http://mashup.example.com:8080")]
    [InlineData("HTTPS://MASHUP.EXAMPLE.COM")]
    public void Allows_BareHostEntry_AdmitsThatHostOnAnySchemeAndPort(string origin)
    {
        Assert.True(Allows(Create("mashup.example.com"), origin));
    }

    [Theory]
    [InlineData("https://other.example.com")]
    [InlineData("https://a.mashup.example.com")]
    [InlineData("https://mashup.example.com.evil.net")]
    [InlineData("https://evilmashup.example.com")]
    [InlineData("https://example.com")]
    public void Allows_BareHostEntry_RefusesEveryOtherHost(string origin)
    {
        Assert.False(Allows(Create("mashup.example.com"), origin));
    }

    [Fact]
    public void Allows_BareHostEntryInUpperCase_MatchesTheLowercaseOrigin()
    {
        Assert.True(Allows(Create("Mashup.Example.COM"), "https://mashup.example.com"));
    }

    [Fact]
    public void Allows_InternationalizedBareHost_MatchesThePunycodeOriginBrowsersSend()
    {
        Assert.True(Allows(Create("bücher.example"), "https://xn--bcher-kva.example"));
    }

    // Full origin: exact scheme, host and port.
    [Theory]
    [InlineData("https://app.example.com", true)]
    [InlineData("https://app.example.com:443", true)]
    [InlineData("http://app.example.com", false)]
    [InlineData("https://app.example.com:8443", false)]
    [InlineData("https://appXexample.com", false)]
    [InlineData("https://app.example.com.evil.net", false)]
    [InlineData("https://a.app.example.com", false)]
    public void Allows_FullOriginEntry_AdmitsOnlyThatExactOrigin(string origin, bool expected)
    {
        Assert.Equal(expected, Allows(Create("https://app.example.com"), origin));
    }

    [Theory]
    [InlineData("https://ports.example.com:8443", true)]
    [InlineData("https://ports.example.com", false)]
    [InlineData("https://ports.example.com:9443", false)]
    [InlineData("http://ports.example.com:8443", false)]
    public void Allows_FullOriginEntryWithPort_AdmitsOnlyThatPort(string origin, bool expected)
    {
        Assert.Equal(expected, Allows(Create("https://ports.example.com:8443"), origin));
    }

    [Fact]
    public void Allows_FullOriginEntryWithExplicitDefaultPort_MatchesTheOriginWithoutPort()
    {
        Assert.True(Allows(Create("https://app.example.com:443"), "https://app.example.com"));
    }

    // Wildcard: whole labels below the apex.
    [Theory]
    [InlineData("https://a.example.com")]
    [InlineData("https://a.b.example.com")]
    [InlineData("http://a.example.com")]
    [InlineData("https://a.example.com:8443")]
    [InlineData("https://app.example.com")]
    public void Allows_WildcardEntry_AdmitsWholeLabelSubdomains(string origin)
    {
        Assert.True(Allows(Create("*.example.com"), origin));
    }

    [Theory]
    [InlineData("https://example.com")]
    [InlineData("https://evilexample.com")]
    [InlineData("https://example.com.evil.net")]
    [InlineData("https://appXexample.com")]
    [InlineData("https://a.example.com.evil.net")]
    [InlineData("https://a.example.co")]
    [InlineData("https://a.example.comm")]
    [InlineData("https://a-example.com")]
    public void Allows_WildcardEntry_RefusesTheApexAndLookalikes(string origin)
    {
        Assert.False(Allows(Create("*.example.com"), origin));
    }

    [Theory]
    [InlineData("https://a.example.com", true)]
    [InlineData("http://a.example.com", false)]
    public void Allows_WildcardEntryWithScheme_AdmitsOnlyThatScheme(string origin, bool expected)
    {
        Assert.Equal(expected, Allows(Create("https://*.example.com"), origin));
    }

    [Theory]
    [InlineData("https://a.example.com:8443", true)]
    [InlineData("https://a.example.com", false)]
    [InlineData("https://a.example.com:9443", false)]
    public void Allows_WildcardEntryWithPort_AdmitsOnlyThatPort(string origin, bool expected)
    {
        Assert.Equal(expected, Allows(Create("https://*.example.com:8443"), origin));
    }

    [Theory]
    [InlineData("https://appXexample.com")]
    [InlineData("https://app-example.com")]
    [InlineData("https://appexample.com")]
    public void Allows_DotInAnEntryIsLiteral_NeverAWildcardCharacter(string origin)
    {
        Assert.False(Allows(Create("https://app.example.com", "app.example.com", "*.app.example.com"), origin));
    }

    [Fact]
    public void Allows_SeveralEntries_AdmitsWhatAnyOfThemAdmits()
    {
        var list = Create("https://a.test", "https://b.test:8443", "mashups.example.org", "*.example.com");

        Assert.True(Allows(list, "https://a.test"));
        Assert.True(Allows(list, "https://b.test:8443"));
        Assert.True(Allows(list, "http://mashups.example.org:81"));
        Assert.True(Allows(list, "https://x.example.com"));
        Assert.False(Allows(list, "https://b.test"));
        Assert.False(Allows(list, "http://a.test"));
        Assert.False(Allows(list, "https://c.test"));
    }

    [Fact]
    public void Empty_AllowsNothing()
    {
        Assert.True(OriginAllowList.Empty.IsEmpty);
        Assert.False(Allows(OriginAllowList.Empty, "https://localhost"));
        Assert.True(Create().IsEmpty);
        Assert.False(Create("a.test").IsEmpty);
    }

    [Fact]
    public void BareHosts_ListsTheBareHostEntriesOnly()
    {
        var list = Create("mashup.example.com", "https://secure.example.com", "*.example.org");

        Assert.Equal(["mashup.example.com"], list.BareHosts);
    }

    // Config-time refusals, each with a message that says how to fix the entry.
    [Theory]
    [InlineData("*", "every site")]
    [InlineData("null", "never trusted")]
    [InlineData("NULL", "never trusted")]
    [InlineData("*.com", "at least two labels")]
    [InlineData("https://*.com", "at least two labels")]
    [InlineData("ex*ample.com", "whole first label")]
    [InlineData("https://ex*ample.com", "whole first label")]
    [InlineData("a.*.example.com", "whole first label")]
    [InlineData("*example.com", "whole first label")]
    [InlineData("https://*", "whole first label")]
    [InlineData("", "is empty")]
    [InlineData("   ", "is empty")]
    [InlineData("ftp://mashup.example.com", "only http and https")]
    [InlineData("wss://mashup.example.com", "only http and https")]
    [InlineData("https://mashup.example.com/app", "is not an origin")]
    [InlineData("https://user@mashup.example.com", "is not an origin")]
    [InlineData("mashup.example.com/app", "no path")]
    [InlineData("mashup.example.com:8443", "needs its scheme")]
    [InlineData("*.", "is not a host name")]
    [InlineData("*.*.example.com", "is not a host name")]
    public void TryCreate_InvalidEntry_IsRefusedWithAReasonNamingTheEntry(string entry, string reason)
    {
        var list = OriginAllowList.TryCreate(["https://fine.example.com", entry], out var errors);

        Assert.Null(list);
        var error = Assert.Single(errors);
        Assert.StartsWith($"\"{entry}\": ", error, StringComparison.Ordinal);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryCreate_SeveralInvalidEntries_ReportsEveryOne()
    {
        var list = OriginAllowList.TryCreate(["*", "https://ok.example.com", "null", "*.com"], out var errors);

        Assert.Null(list);
        Assert.Equal(3, errors.Count);
    }

    [Fact]
    public void TryCreate_EntriesWithSurroundingSpaces_AreTrimmed()
    {
        var list = Create("  https://a.test  ", "\tb.test");

        Assert.True(Allows(list, "https://a.test"));
        Assert.True(Allows(list, "https://b.test"));
    }
}
