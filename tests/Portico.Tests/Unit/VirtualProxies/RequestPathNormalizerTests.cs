using Portico.VirtualProxies;

namespace Portico.Tests.Unit.VirtualProxies;

public sealed class RequestPathNormalizerTests
{
    [Theory]
    [InlineData("/", "/")]
    [InlineData("/sales/app/engineData", "/sales/app/engineData")]
    [InlineData("/a/../b", "/b")]
    [InlineData("/a/./b", "/a/b")]
    [InlineData("/sales/%2e%2e/hr/x", "/hr/x")]
    [InlineData("/sales/%2E%2E/hr/x", "/hr/x")]
    [InlineData("/sales/.%2e/hr/x", "/hr/x")]
    [InlineData("/sales/%2e./hr/x", "/hr/x")]
    [InlineData("/sales/%2e/app", "/sales/app")]
    [InlineData("/%2e/", "/")]
    [InlineData("//sales//app", "/sales/app")]
    [InlineData("///", "/")]
    [InlineData("/sales/", "/sales/")]
    [InlineData("/sales/app/", "/sales/app/")]
    [InlineData("/a/b/..", "/a/")]
    [InlineData("/a/b/.", "/a/b/")]
    [InlineData("/a/..", "/")]
    [InlineData("/sales/hub/a%20b", "/sales/hub/a b")]
    [InlineData("/sales/%C3%A9t%C3%A9", "/sales/été")]
    [InlineData("/sales/%c3%a9", "/sales/é")]
    [InlineData("/sales/%41pp", "/sales/App")]
    [InlineData("/sales/a;b=c", "/sales/a;b=c")]
    public void Normalize_ValidPath_ReturnsTheOneNormalizedPath(string raw, string expected)
    {
        var result = RequestPathNormalizer.Normalize(raw);

        Assert.True(result.IsValid, result.RejectionReason);
        Assert.Null(result.RejectionReason);
        Assert.Equal(expected, result.Path);
    }

    [Theory]
    [InlineData("/..")]
    [InlineData("/../hr")]
    [InlineData("/a/../../b")]
    [InlineData("/%2e%2e/hr")]
    [InlineData("/sales/%2e%2e/%2e%2e/etc")]
    [InlineData("//..//hr")]
    public void Normalize_ClimbAboveRoot_IsRejected(string raw)
    {
        AssertRejected(raw, "climbs above the root");
    }

    [Theory]
    [InlineData("/sales%2Fhr")]
    [InlineData("/sales%2fhr")]
    [InlineData("/sales/%2F..%2Fhr")]
    [InlineData("/sales%5Chr")]
    [InlineData("/sales%5chr")]
    public void Normalize_EncodedSlashOrBackslash_IsRejected(string raw)
    {
        AssertRejected(raw, "encoded slash or backslash");
    }

    [Theory]
    [InlineData("/sales\\..\\hr")]
    [InlineData("/sales\\hr")]
    [InlineData("/sales\\%2e%2e\\hr")]
    public void Normalize_RawBackslash_IsRejected(string raw)
    {
        AssertRejected(raw, "backslash");
    }

    [Theory]
    [InlineData("/sales%00")]
    [InlineData("/sales/a%0d%0aSet-Cookie:%20x=1")]
    [InlineData("/sales/a%0A")]
    [InlineData("/sales/a%09")]
    [InlineData("/sales/a%7F")]
    public void Normalize_EncodedControlCharacter_IsRejected(string raw)
    {
        AssertRejected(raw, "control character");
    }

    [Theory]
    [InlineData("/sales\u0000")]
    [InlineData("/sales/a\r\nb")]
    [InlineData("/sales/a\tb")]
    [InlineData("/sales/a\u007Fb")]
    [InlineData("/sales/%41\u0001")]
    public void Normalize_RawControlCharacter_IsRejected(string raw)
    {
        AssertRejected(raw, "control character");
    }

    [Theory]
    [InlineData("/sales/%")]
    [InlineData("/sales/%2")]
    [InlineData("/sales/%zz")]
    [InlineData("/sales/%2g")]
    [InlineData("/sales/%%32%65")]
    [InlineData("/sales/%u002e%u002e/hr")]
    public void Normalize_MalformedPercentEscape_IsRejected(string raw)
    {
        AssertRejected(raw, "malformed percent-escape");
    }

    [Theory]
    [InlineData("/sales/%ff")]
    [InlineData("/sales/%C3")]
    [InlineData("/sales/%c0%ae%c0%ae/hr")]
    [InlineData("/sales/%e0%80%ae")]
    [InlineData("/sales/%ed%a0%80")]
    public void Normalize_InvalidUtf8AfterDecoding_IsRejected(string raw)
    {
        AssertRejected(raw, "not valid UTF-8");
    }

    [Theory]
    [InlineData("")]
    [InlineData("*")]
    [InlineData("http://evil/")]
    [InlineData("https://evil.example/sales/app")]
    [InlineData("sales/app")]
    [InlineData("%2Fsales")]
    public void Normalize_TargetNotStartingWithSlash_IsRejected(string raw)
    {
        AssertRejected(raw, "must be a path starting with '/'");
    }

    [Fact]
    public void Normalize_DoubleEncodedDots_AreDecodedOnceToAPlainSegment()
    {
        var result = RequestPathNormalizer.Normalize("/sales/%252e%252e/hr/x");

        Assert.True(result.IsValid, result.RejectionReason);
        Assert.Equal("/sales/%2e%2e/hr/x", result.Path);
    }

    [Fact]
    public void Normalize_DoubleEncodedSlash_IsDecodedOnceAndNotTreatedAsSeparator()
    {
        var result = RequestPathNormalizer.Normalize("/sales%252Fhr/x");

        Assert.True(result.IsValid, result.RejectionReason);
        Assert.Equal("/sales%2Fhr/x", result.Path);
    }

    [Fact]
    public void Normalize_NormalizedPath_IsAFixedPointForPlainPaths()
    {
        var once = RequestPathNormalizer.Normalize("//sales/./a/../app//x/").Path!;

        Assert.Equal("/sales/app/x/", once);
        Assert.Equal(once, RequestPathNormalizer.Normalize(once).Path);
    }

    private static void AssertRejected(string raw, string reasonFragment)
    {
        var result = RequestPathNormalizer.Normalize(raw);

        Assert.False(result.IsValid, $"'{Printable(raw)}' was accepted as '{Printable(result.Path)}'");
        Assert.Null(result.Path);
        Assert.Contains(reasonFragment, result.RejectionReason, StringComparison.Ordinal);
    }

    private static string Printable(string? s) =>
        string.Concat((s ?? "(null)").Select(c => c < 0x20 || c == 0x7F ? $"\\x{(int)c:X2}" : c.ToString()));
}
