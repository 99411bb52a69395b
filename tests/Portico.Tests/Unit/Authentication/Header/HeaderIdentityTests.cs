using Portico.Authentication;
using Portico.Authentication.Header;

namespace Portico.Tests.Unit.Authentication.Header;

public sealed class HeaderIdentityTests
{
    private const string QlikPattern = @"$ud\\$id";

    [Theory]
    [InlineData("bob", "bob")]
    [InlineData("  bob  ", "bob")]
    [InlineData(@"CORP\bob", @"CORP\bob")]
    [InlineData("bob smith", "bob smith")]
    [InlineData("jos\u00e9", "jos\u00e9")]
    [InlineData("\u5c71\u7530", "\u5c71\u7530")]
    [InlineData("bob\U0001F600", "bob\U0001F600")]
    public void ParseStatic_NonEmptyValue_UserInConfiguredDirectory(string header, string expectedId)
    {
        var result = HeaderIdentity.ParseStatic(header, "SSO");

        Assert.True(result.Success, result.FailureReason);
        Assert.Equal(new AuthenticatedUser("SSO", expectedId), result.User);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t")]
    public void ParseStatic_EmptyValue_Fails(string? header)
    {
        var result = HeaderIdentity.ParseStatic(header, "SSO");

        Assert.False(result.Success);
        Assert.Equal("header value is empty", result.FailureReason);
    }

    [Theory]
    [InlineData("bob\r\nX-Qlik-User: admin")]
    [InlineData("bob\nadmin")]
    [InlineData("bo\0b")]
    [InlineData("bob\u0085")]
    [InlineData("bob\u2028admin")]
    [InlineData("bob\u2029")]
    [InlineData("\u202Enimda")]
    [InlineData("ad\u200Bmin")]
    [InlineData("bob\u007F")]
    public void ParseStatic_ControlOrInvisibleCharacter_Fails(string header)
    {
        var result = HeaderIdentity.ParseStatic(header, "SSO");

        Assert.False(result.Success);
        Assert.Equal("header value contains a control or invisible formatting character", result.FailureReason);
    }

    [Fact]
    public void ParseStatic_UnpairedSurrogate_Fails()
    {
        Assert.False(HeaderIdentity.ParseStatic("bob\uD800", "SSO").Success);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void ParseStatic_NoDirectoryConfigured_Fails(string directory)
    {
        Assert.False(HeaderIdentity.ParseStatic("bob", directory).Success);
    }

    [Theory]
    [InlineData(@"CORP\bob", "CORP", "bob")]
    [InlineData(@" CORP\bob ", "CORP", "bob")]
    [InlineData(@"CORP \ bob", "CORP", "bob")]
    [InlineData(@"corp.example.com\bob.smith", "corp.example.com", "bob.smith")]
    [InlineData("M\u00dcNCHEN\\j\u00fcrgen", "M\u00dcNCHEN", "j\u00fcrgen")]
    public void ParseDynamic_QlikBackslashPattern_SplitsDirectoryAndId(string header, string directory, string id)
    {
        var result = HeaderIdentity.ParseDynamic(header, QlikPattern);

        Assert.True(result.Success, result.FailureReason);
        Assert.Equal(new AuthenticatedUser(directory, id), result.User);
    }

    [Fact]
    public void ParseDynamic_PatternWithSingleBackslash_MeansTheSame()
    {
        var result = HeaderIdentity.ParseDynamic(@"CORP\bob", @"$ud\$id");

        Assert.Equal(new AuthenticatedUser("CORP", "bob"), result.User);
    }

    [Theory]
    [InlineData(@"CORP\", "header value has an empty user id")]
    [InlineData(@"CORP\  ", "header value has an empty user id")]
    [InlineData(@"\bob", "header value has an empty user directory")]
    [InlineData(@"  \bob", "header value has an empty user directory")]
    [InlineData(@"\", "header value has an empty user directory")]
    public void ParseDynamic_EmptyPart_Fails(string header, string reason)
    {
        var result = HeaderIdentity.ParseDynamic(header, QlikPattern);

        Assert.False(result.Success);
        Assert.Equal(reason, result.FailureReason);
    }

    [Theory]
    [InlineData(@"a\b\c")]
    [InlineData(@"CORP\\bob")]
    [InlineData(@"CORP\bob\")]
    public void ParseDynamic_SeparatorMoreThanOnce_FailsRatherThanGuessing(string header)
    {
        var result = HeaderIdentity.ParseDynamic(header, QlikPattern);

        Assert.False(result.Success);
        Assert.Contains("more than once", result.FailureReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bob")]
    [InlineData("CORP/bob")]
    [InlineData("CORP\uFF3Cbob")]
    public void ParseDynamic_NoSeparator_FailsAsNoMatch(string header)
    {
        var result = HeaderIdentity.ParseDynamic(header, QlikPattern);

        Assert.False(result.Success);
        Assert.Contains("does not match", result.FailureReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CORP\\bob\r\n")]
    [InlineData("CORP\r\n\\bob")]
    [InlineData("CORP\\bo\nb")]
    [InlineData("CORP\\\u202Ebob")]
    public void ParseDynamic_ControlOrInvisibleCharacter_Fails(string header)
    {
        var result = HeaderIdentity.ParseDynamic(header, QlikPattern);

        Assert.False(result.Success);
        Assert.Equal("header value contains a control or invisible formatting character", result.FailureReason);
    }

    [Theory]
    [InlineData("bob@corp.example.com", "corp.example.com", "bob")]
    [InlineData("bob.smith@CORP", "CORP", "bob.smith")]
    public void ParseDynamic_IdFirstPattern_SplitsDirectoryAndId(string header, string directory, string id)
    {
        var result = HeaderIdentity.ParseDynamic(header, "$id@$ud");

        Assert.True(result.Success, result.FailureReason);
        Assert.Equal(new AuthenticatedUser(directory, id), result.User);
    }

    [Fact]
    public void ParseDynamic_IdFirstPatternWithTwoAtSigns_Fails()
    {
        Assert.False(HeaderIdentity.ParseDynamic("bob@evil@corp", "$id@$ud").Success);
    }

    [Theory]
    [InlineData("user=CORP;bob;", "CORP", "bob")]
    [InlineData("user= CORP ; bob ;", "CORP", "bob")]
    public void ParseDynamic_PrefixAndSuffixLiterals_Matched(string header, string directory, string id)
    {
        var result = HeaderIdentity.ParseDynamic(header, "user=$ud;$id;");

        Assert.True(result.Success, result.FailureReason);
        Assert.Equal(new AuthenticatedUser(directory, id), result.User);
    }

    [Theory]
    [InlineData("CORP;bob;")]
    [InlineData("user=CORP;bob")]
    [InlineData("USER=CORP;bob;")]
    [InlineData("user=;")]
    public void ParseDynamic_PrefixOrSuffixMissing_Fails(string header)
    {
        Assert.False(HeaderIdentity.ParseDynamic(header, "user=$ud;$id;").Success);
    }

    [Theory]
    [InlineData("")]
    [InlineData("$ud")]
    [InlineData("$id")]
    [InlineData("$ud$id")]
    [InlineData(@"$ud\$id\$ud")]
    [InlineData(@"$ud\$id\$id")]
    [InlineData("$UD\\$ID")]
    public void ParseDynamic_InvalidPattern_FailsWithPatternError(string pattern)
    {
        var result = HeaderIdentity.ParseDynamic(@"CORP\bob", pattern);

        Assert.False(result.Success);
        Assert.Contains("pattern", result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_QlikPattern_ExposesItsParts()
    {
        var pattern = DynamicUserDirectoryPattern.TryParse(@"[$id|$ud]", out var error);

        Assert.Null(error);
        Assert.NotNull(pattern);
        Assert.Equal("[", pattern.Prefix);
        Assert.Equal("|", pattern.Separator);
        Assert.Equal("]", pattern.Suffix);
        Assert.False(pattern.UserDirectoryFirst);
        Assert.Equal(new AuthenticatedUser("CORP", "bob"), HeaderIdentity.ParseDynamic("[bob|CORP]", pattern).User);
    }
}
