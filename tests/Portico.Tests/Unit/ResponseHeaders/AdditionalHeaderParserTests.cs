using Portico.ResponseHeaders;

namespace Portico.Tests.Unit.ResponseHeaders;

public sealed class AdditionalHeaderParserTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("\n\r\n  \n\t")]
    public void Parse_NoHeaderText_ReturnsNoLinesAndNoErrors(string? text)
    {
        var parsed = AdditionalHeaderParser.Parse(text);

        Assert.True(parsed.IsValid);
        Assert.Empty(parsed.Lines);
        Assert.Empty(parsed.Errors);
    }

    [Fact]
    public void Parse_LinesSeparatedByLf_ReturnsEachHeaderWithItsLineNumber()
    {
        var parsed = AdditionalHeaderParser.Parse("X-Frame-Options: SAMEORIGIN\nContent-Security-Policy: frame-ancestors 'self'\nX-Content-Type-Options: nosniff");

        Assert.True(parsed.IsValid);
        Assert.Equal(
            [
                new HeaderLine(1, "X-Frame-Options", "SAMEORIGIN"),
                new HeaderLine(2, "Content-Security-Policy", "frame-ancestors 'self'"),
                new HeaderLine(3, "X-Content-Type-Options", "nosniff"),
            ],
            parsed.Lines);
    }

    [Fact]
    public void Parse_LinesSeparatedByCrLf_ReturnsSameHeadersWithoutCr()
    {
        var parsed = AdditionalHeaderParser.Parse("X-Frame-Options: SAMEORIGIN\r\nReferrer-Policy: no-referrer\r\n");

        Assert.True(parsed.IsValid);
        Assert.Equal(
            [new HeaderLine(1, "X-Frame-Options", "SAMEORIGIN"), new HeaderLine(2, "Referrer-Policy", "no-referrer")],
            parsed.Lines);
    }

    [Fact]
    public void Parse_BlankLines_AreSkippedButStillCounted()
    {
        var parsed = AdditionalHeaderParser.Parse("\nX-A: 1\n\n   \r\nX-B: 2\n");

        Assert.True(parsed.IsValid);
        Assert.Equal([new HeaderLine(2, "X-A", "1"), new HeaderLine(5, "X-B", "2")], parsed.Lines);
    }

    [Fact]
    public void Parse_SpacesAndTabsAroundNameAndValue_AreTrimmed()
    {
        var parsed = AdditionalHeaderParser.Parse("  X-A :\t value with  inner spaces \t");

        Assert.Equal([new HeaderLine(1, "X-A", "value with  inner spaces")], parsed.Lines);
    }

    [Fact]
    public void Parse_ValueContainingColons_KeepsEverythingAfterTheFirstColon()
    {
        var parsed = AdditionalHeaderParser.Parse("Content-Security-Policy: default-src https://cdn.example.com:8443");

        Assert.Equal("default-src https://cdn.example.com:8443", Assert.Single(parsed.Lines).Value);
    }

    [Fact]
    public void Parse_LineWithoutColon_IsAnErrorOnThatLine()
    {
        var parsed = AdditionalHeaderParser.Parse("X-A: 1\nX-Frame-Options DENY");

        var error = Assert.Single(parsed.Errors);
        Assert.Equal(2, error.LineNumber);
        Assert.Equal("line 2: \"X-Frame-Options DENY\" is not a header; write \"Name: value\"", error.ToString());
        Assert.Equal([new HeaderLine(1, "X-A", "1")], parsed.Lines);
    }

    [Theory]
    [InlineData(": value")]
    [InlineData("   : value")]
    public void Parse_EmptyName_IsAnError(string text)
    {
        var error = Assert.Single(AdditionalHeaderParser.Parse(text).Errors);

        Assert.Equal(1, error.LineNumber);
        Assert.Contains("has no header name", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("X Frame: DENY", "a space")]
    [InlineData("X(Frame): DENY", "'('")]
    [InlineData("X-Främe: DENY", "'ä'")]
    [InlineData("X\"A: 1", "'\"'")]
    [InlineData("X/A: 1", "'/'")]
    [InlineData("X@A: 1", "'@'")]
    [InlineData("X\u0000A: 1", "a control character (0x00)")]
    [InlineData("X\u007FA: 1", "a control character (0x7F)")]
    public void Parse_NameWithNonTokenCharacter_IsAnErrorDescribingTheCharacter(string text, string described)
    {
        var error = Assert.Single(AdditionalHeaderParser.Parse(text).Errors);

        Assert.Equal(1, error.LineNumber);
        Assert.Contains($"contains {described}, which is not allowed in a header name", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Set-Cookie")]
    [InlineData("set-cookie")]
    [InlineData("SET-COOKIE")]
    [InlineData("Set-Cookie2")]
    [InlineData("Content-Length")]
    [InlineData("content-length")]
    [InlineData("Transfer-Encoding")]
    [InlineData("TRANSFER-ENCODING")]
    [InlineData("Connection")]
    [InlineData("Keep-Alive")]
    [InlineData("Upgrade")]
    [InlineData("upgrade")]
    [InlineData("Host")]
    [InlineData("HOST")]
    [InlineData("Location")]
    [InlineData("qlik-csrf-token")]
    [InlineData("Qlik-Csrf-Token")]
    [InlineData("QLIK-CSRF-TOKEN")]
    public void Parse_ReservedName_IsAnErrorInAnyCase(string name)
    {
        var parsed = AdditionalHeaderParser.Parse($"X-A: 1\n{name}: x");

        var error = Assert.Single(parsed.Errors);
        Assert.Equal(2, error.LineNumber);
        Assert.Contains($"\"{name}\" is set by Portico or the engine", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(parsed.Lines, l => l.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("X-A: 1\rSet-Cookie: a=b")]
    [InlineData("X-A: 1\r Set-Cookie: a=b")]
    [InlineData("X-A\r: 1")]
    [InlineData("\rX-A: 1")]
    public void Parse_BareCarriageReturnInsideLine_IsRejectedAsHeaderInjection(string text)
    {
        var parsed = AdditionalHeaderParser.Parse(text);

        var error = Assert.Single(parsed.Errors);
        Assert.Equal(1, error.LineNumber);
        Assert.Contains("carriage return", error.Message, StringComparison.Ordinal);
        Assert.Empty(parsed.Lines);
    }

    [Fact]
    public void Parse_InjectionAttemptOnLaterLine_ReportsThatLineAndKeepsTheOthers()
    {
        var parsed = AdditionalHeaderParser.Parse("X-A: 1\r\nX-B: 2\rSet-Cookie: session=planted\r\nX-C: 3");

        var error = Assert.Single(parsed.Errors);
        Assert.Equal(2, error.LineNumber);
        Assert.Equal(["X-A", "X-C"], parsed.Lines.Select(l => l.Name));
        Assert.DoesNotContain(parsed.Lines, l => l.Value.Contains("Set-Cookie", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("X-A: a\u0000b", "a control character (0x00)")]
    [InlineData("X-A: a\u0001b", "a control character (0x01)")]
    [InlineData("X-A: a\u001Bb", "a control character (0x1B)")]
    [InlineData("X-A: a\u007Fb", "a control character (0x7F)")]
    [InlineData("X-A: caf\u00E9", "'\u00E9'")]
    [InlineData("X-A: a\u0085b", "'\u0085'")]
    [InlineData("X-A: a\u2028b", "'\u2028'")]
    public void Parse_ValueWithControlOrNonAsciiCharacter_IsAnError(string text, string described)
    {
        var error = Assert.Single(AdditionalHeaderParser.Parse(text).Errors);

        Assert.Equal(1, error.LineNumber);
        Assert.Contains($"the value of \"X-A\" contains {described}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ValueWithInnerTab_IsAccepted()
    {
        var parsed = AdditionalHeaderParser.Parse("X-A: a\tb");

        Assert.Equal("a\tb", Assert.Single(parsed.Lines).Value);
    }

    [Theory]
    [InlineData("X-A:")]
    [InlineData("X-A:   ")]
    [InlineData("X-A: \t ")]
    public void Parse_EmptyValue_IsAnError(string text)
    {
        var error = Assert.Single(AdditionalHeaderParser.Parse(text).Errors);

        Assert.Contains("\"X-A\" has no value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DuplicateNameInOtherCase_ReportsTheLineOfTheFirst()
    {
        var parsed = AdditionalHeaderParser.Parse("X-Frame-Options: DENY\nX-A: 1\nx-frame-options: SAMEORIGIN");

        var error = Assert.Single(parsed.Errors);
        Assert.Equal(3, error.LineNumber);
        Assert.Contains("\"x-frame-options\" is already set on line 1", error.Message, StringComparison.Ordinal);
        Assert.Equal([new HeaderLine(1, "X-Frame-Options", "DENY"), new HeaderLine(2, "X-A", "1")], parsed.Lines);
    }

    [Theory]
    [InlineData("max-age=31536000;includeSubDomains;Preload")]
    [InlineData("max-age=31536000; includeSubDomains; preload")]
    [InlineData("max-age=0")]
    [InlineData("MAX-AGE=600")]
    [InlineData("max-age=\"31536000\"")]
    [InlineData("includeSubDomains; max-age=31536000")]
    public void Parse_ValidStrictTransportSecurity_IsAccepted(string value)
    {
        var parsed = AdditionalHeaderParser.Parse($"Strict-Transport-Security: {value}");

        Assert.True(parsed.IsValid, string.Join("; ", parsed.Errors));
        Assert.Equal(new HeaderLine(1, "Strict-Transport-Security", value), Assert.Single(parsed.Lines));
    }

    [Theory]
    [InlineData("includeSubDomains")]
    [InlineData("max-age=1; max-age=2")]
    [InlineData("max-age=one-year")]
    [InlineData("max-age=-1")]
    [InlineData("max-age=")]
    [InlineData("max-age")]
    [InlineData("max-age=1.5")]
    [InlineData("max-age=1; bad directive")]
    public void Parse_InvalidStrictTransportSecurity_IsAnError(string value)
    {
        var parsed = AdditionalHeaderParser.Parse($"X-A: 1\nstrict-transport-security: {value}");

        var error = Assert.Single(parsed.Errors);
        Assert.Equal(2, error.LineNumber);
        Assert.Contains("is not a valid Strict-Transport-Security value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SeveralMistakes_ReportsEveryOneWithItsLine()
    {
        var text = string.Join("\r\n",
            "X-Frame-Options: SAMEORIGIN",
            "no colon here",
            ": nameless",
            "Bad Name: 1",
            "Set-Cookie: a=b",
            "X-Empty:",
            "X-Ctl: a\u0007b",
            "x-frame-options: DENY",
            "Strict-Transport-Security: includeSubDomains",
            "X-Inject: 1\rLocation: https://evil.example",
            "Referrer-Policy: no-referrer");

        var parsed = AdditionalHeaderParser.Parse(text);

        Assert.Equal([2, 3, 4, 5, 6, 7, 8, 9, 10], parsed.Errors.Select(e => e.LineNumber));
        Assert.Equal(["X-Frame-Options", "Referrer-Policy"], parsed.Lines.Select(l => l.Name));
        Assert.Equal(11, parsed.Lines[1].LineNumber);
    }

    [Fact]
    public void HeaderLineError_ToString_StartsWithLineNumber()
    {
        Assert.Equal("line 7: oops", new HeaderLineError(7, "oops").ToString());
    }
}
