using System.Text;
using Portico.Authentication;

namespace Portico.Tests.Unit.Authentication;

public sealed class CompatibilityLettersTests
{
    [Fact]
    public void Normalize_UnderInvariantGlobalization_DoesNotApplyNfkc()
    {
        // Why the table exists: Portico builds with InvariantGlobalization, where NFKC is silently the
        // identity (and IsNormalized says true). Should this ever change, the table could give way to it.
        const string fullwidth = "\uff21\uff2e\uff2f\uff2e\uff39\uff2d\uff2f\uff35\uff33";

        Assert.Equal(fullwidth, fullwidth.Normalize(NormalizationForm.FormKC));
        Assert.True(fullwidth.IsNormalized(NormalizationForm.FormKC));
    }

    [Theory]
    [InlineData("\uff21\uff2e\uff2f\uff2e\uff39\uff2d\uff2f\uff35\uff33", "ANONYMOUS")]
    [InlineData("\uff41\uff5a", "az")]
    [InlineData("\u24b6\u24cf\u24d0\u24e9", "AZaz")]
    [InlineData("\U0001D400\U0001D419\U0001D6A3", "AZz")]
    [InlineData("\U0001D4A9\U0001D4AC", "NQ")]
    [InlineData("\U0001F130\U0001F149", "AZ")]
    [InlineData("\u017f\u212a\u2116\ufb00\u2163", "sKNoffIV")]
    [InlineData("\u1d2c\u1d3a\u1d3c\u00aa\u00ba", "ANOao")]
    [InlineData("\u0130\u0131", "Ii")]
    public void Fold_CompatibilityForms_BecomeTheirAsciiLetters(string value, string expected)
    {
        Assert.Equal(expected, CompatibilityLetters.Fold(value));
    }

    [Theory]
    [InlineData("CORP")]
    [InlineData("jos\u00e9")]
    [InlineData("\u5c71\u7530")]
    [InlineData("\u0410NONYMOUS")]
    [InlineData("\uff10\uff11")]
    [InlineData("bob\U0001F600")]
    public void Fold_OtherText_IsUnchanged(string value)
    {
        Assert.Equal(value, CompatibilityLetters.Fold(value));
    }

    [Fact]
    public void Entries_AreSortedDisjointAndMapToAsciiLetters()
    {
        var previousLast = 0x7F;
        foreach (var (first, last, ascii) in CompatibilityLetters.Entries)
        {
            Assert.True(first > previousLast, $"entry at U+{first:X4} overlaps or is out of order");
            Assert.True(last >= first);
            Assert.True(ascii.Length > 0 && ascii.All(char.IsAsciiLetter), $"U+{first:X4} maps to '{ascii}'");
            if (ascii.Length > 1)
            {
                Assert.Equal(first, last);
            }
            else
            {
                // A run stays within one case of the alphabet.
                var end = (char)(ascii[0] + (last - first));
                Assert.True(char.IsAsciiLetterUpper(ascii[0]) ? char.IsAsciiLetterUpper(end) : char.IsAsciiLetterLower(end), $"run at U+{first:X4}");
            }

            previousLast = last;
        }
    }
}
