using Portico.Logging;

namespace Portico.Tests.Unit.Logging;

public sealed class LogValuesTests
{
    [Theory]
    [InlineData("alice")]
    [InlineData("bob smith")]
    [InlineData("jos\u00e9")]
    [InlineData("\u5c71\u7530")]
    [InlineData("bob\U0001F600")]
    [InlineData("")]
    public void Escape_PrintableValue_IsReturnedAsItIs(string value)
    {
        Assert.Same(value, LogValues.Escape(value));
    }

    [Theory]
    [InlineData("bob\r\nINFO forged line", @"bob\u000D\u000AINFO forged line")]
    [InlineData("bob\nadmin", @"bob\u000Aadmin")]
    [InlineData("a\0b", @"a\u0000b")]
    [InlineData("\u001b[31mred", @"\u001B[31mred")]
    [InlineData("bob\u0085", @"bob\u0085")]
    [InlineData("\u202enimda", @"\u202Enimda")]
    [InlineData("ad\u200bmin", @"ad\u200Bmin")]
    [InlineData("\ufeffbob", @"\uFEFFbob")]
    [InlineData("ad\u00admin", @"ad\u00ADmin")]
    [InlineData("bob\u2028admin\u2029", @"bob\u2028admin\u2029")]
    [InlineData("\u00a0admin\u3000", @"\u00A0admin\u3000")]
    [InlineData("bob\ue000", @"bob\uE000")]
    [InlineData("tag\U000E0041", @"tag\uDB40\uDC41")]
    public void Escape_InvisibleOrControlCharacter_IsWrittenAsItsCode(string value, string expected)
    {
        Assert.Equal(expected, LogValues.Escape(value));
    }

    [Theory]
    [InlineData(@"CORP\bob", @"CORP\\bob")]
    [InlineData(@"bob\u000Aadmin", @"bob\\u000Aadmin")]
    [InlineData("\\\n", @"\\\u000A")]
    public void Escape_Backslash_IsDoubledSoAnEscapeCannotBeForged(string value, string expected)
    {
        Assert.Equal(expected, LogValues.Escape(value));
    }

    [Fact]
    public void Escape_UnpairedSurrogate_IsWrittenAsItsCode()
    {
        // Built here rather than in theory data: the test runner replaces lone surrogates in data.
        Assert.Equal(@"bob\uD800", LogValues.Escape("bob" + '\ud800'));
        Assert.Equal(@"\uDC00bob", LogValues.Escape('\udc00' + "bob"));
        Assert.Equal(@"\uDE00\uD83D", LogValues.Escape(new string(['\ude00', '\ud83d'])));
    }

    [Fact]
    public void Escape_Null_IsNamed()
    {
        Assert.Equal("(null)", LogValues.Escape(null));
    }

    [Fact]
    public void Escape_AnyCharacter_LeavesNoLineBreakOrInvisibleCharacter()
    {
        for (var c = 0; c <= char.MaxValue; c++)
        {
            var escaped = LogValues.Escape("x" + (char)c + "y");
            foreach (var ch in escaped)
            {
                var category = char.GetUnicodeCategory(ch);
                Assert.False(
                    category is System.Globalization.UnicodeCategory.Control or System.Globalization.UnicodeCategory.Format
                        or System.Globalization.UnicodeCategory.LineSeparator or System.Globalization.UnicodeCategory.ParagraphSeparator
                        or System.Globalization.UnicodeCategory.Surrogate,
                    $"U+{c:X4} survived escaping");
            }
        }
    }
}
