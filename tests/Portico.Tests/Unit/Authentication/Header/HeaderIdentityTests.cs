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
    [InlineData("bob\r\nX-Qlik-User: admin", "header value contains a control character (U+000D)")]
    [InlineData("bob\nadmin", "header value contains a control character (U+000A)")]
    [InlineData("bo\0b", "header value contains a control character (U+0000)")]
    [InlineData("bob\u0085", "header value contains a control character (U+0085)")]
    [InlineData("bob\u007F", "header value contains a control character (U+007F)")]
    [InlineData("bob\r\n", "header value contains a control character (U+000D)")]
    [InlineData("bob\u2028admin", "header value contains a line or paragraph separator (U+2028)")]
    [InlineData("bob\u2029", "header value contains a line or paragraph separator (U+2029)")]
    [InlineData("\u202Enimda", "header value contains an invisible formatting character (U+202E)")]
    [InlineData("ad\u200Bmin", "header value contains an invisible formatting character (U+200B)")]
    [InlineData("admin\u200B", "header value contains an invisible formatting character (U+200B)")]
    [InlineData("\uFEFFadmin", "header value contains an invisible formatting character (U+FEFF)")]
    public void ParseStatic_ControlOrInvisibleCharacter_Fails(string header, string reason)
    {
        var result = HeaderIdentity.ParseStatic(header, "SSO");

        Assert.False(result.Success);
        Assert.Equal(reason, result.FailureReason);
    }

    [Fact]
    public void ParseStatic_UnpairedSurrogate_Fails()
    {
        var result = HeaderIdentity.ParseStatic("bob\uD800", "SSO");

        Assert.False(result.Success);
        Assert.Equal("header value is not valid Unicode (an unpaired surrogate)", result.FailureReason);
    }

    [Fact]
    public void ParseDynamic_UnpairedSurrogate_Fails()
    {
        var result = HeaderIdentity.ParseDynamic("CORP\\bob" + '\uDC00', QlikPattern);

        Assert.False(result.Success);
        Assert.Equal("the user id in the header value is not valid Unicode (an unpaired surrogate)", result.FailureReason);
    }

    [Theory]
    [InlineData("\u00A0admin\u00A0", "header value begins with whitespace (U+00A0)")]
    [InlineData("admin\u00A0", "header value ends with whitespace (U+00A0)")]
    [InlineData("\u3000admin", "header value begins with whitespace (U+3000)")]
    [InlineData("admin\u2003", "header value ends with whitespace (U+2003)")]
    [InlineData(" \u00A0admin", "header value begins with whitespace (U+00A0)")]
    public void ParseStatic_NonHttpWhitespaceAtAnEnd_IsRefusedNotTrimmed(string header, string reason)
    {
        var result = HeaderIdentity.ParseStatic(header, "SSO");

        Assert.False(result.Success);
        Assert.Equal(reason, result.FailureReason);
    }

    [Theory]
    [InlineData(" admin")]
    [InlineData("admin ")]
    [InlineData("\tadmin\t")]
    [InlineData(" \t admin \t ")]
    public void ParseStatic_HttpOptionalWhitespaceAroundTheValue_IsDropped(string header)
    {
        var result = HeaderIdentity.ParseStatic(header, "SSO");

        Assert.True(result.Success, result.FailureReason);
        Assert.Equal(new AuthenticatedUser("SSO", "admin"), result.User);
    }

    [Theory]
    [InlineData("ANONYMOUS")]
    [InlineData("anonymous")]
    [InlineData("\uFF21\uFF2E\uFF2F\uFF2E\uFF39\uFF2D\uFF2F\uFF35\uFF33")]
    public void ParseStatic_ConfiguredDirectoryReserved_Fails(string directory)
    {
        var result = HeaderIdentity.ParseStatic("bob", directory);

        Assert.False(result.Success);
        Assert.Equal("the configured static user directory names the user directory ANONYMOUS, which is reserved for anonymous access", result.FailureReason);
    }

    [Theory]
    [InlineData(" SSO", "begins with whitespace (U+0020)")]
    [InlineData("SSO\u00A0", "ends with whitespace (U+00A0)")]
    [InlineData("SS\u200BO", "contains an invisible formatting character (U+200B)")]
    public void ParseStatic_ConfiguredDirectoryBreakingTheRule_FailsRatherThanTrimmed(string directory, string reason)
    {
        var result = HeaderIdentity.ParseStatic("bob", directory);

        Assert.False(result.Success);
        Assert.Equal("the configured static user directory " + reason, result.FailureReason);
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
    [InlineData("\tCORP\\bob\t", "CORP", "bob")]
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
    [InlineData("CORP\\bob\r\n", "the user id in the header value contains a control character (U+000D)")]
    [InlineData("CORP\r\n\\bob", "the user directory in the header value contains a control character (U+000D)")]
    [InlineData("CORP\\bo\nb", "the user id in the header value contains a control character (U+000A)")]
    [InlineData("CORP\\\u202Ebob", "the user id in the header value contains an invisible formatting character (U+202E)")]
    [InlineData("CO\u200BRP\\bob", "the user directory in the header value contains an invisible formatting character (U+200B)")]
    [InlineData("CORP\\bob\u2028", "the user id in the header value contains a line or paragraph separator (U+2028)")]
    public void ParseDynamic_ControlOrInvisibleCharacter_Fails(string header, string reason)
    {
        var result = HeaderIdentity.ParseDynamic(header, QlikPattern);

        Assert.False(result.Success);
        Assert.Equal(reason, result.FailureReason);
    }

    [Theory]
    [InlineData(@"CORP \ bob", "the user directory in the header value ends with whitespace (U+0020)")]
    [InlineData(@"CORP\ bob", "the user id in the header value begins with whitespace (U+0020)")]
    [InlineData("CORP\\\u00A0admin\u00A0", "the user id in the header value begins with whitespace (U+00A0)")]
    [InlineData("\u00A0CORP\\admin", "the user directory in the header value begins with whitespace (U+00A0)")]
    [InlineData("CORP\u3000\\admin", "the user directory in the header value ends with whitespace (U+3000)")]
    public void ParseDynamic_WhitespaceAroundAPart_IsRefusedNotTrimmed(string header, string reason)
    {
        var result = HeaderIdentity.ParseDynamic(header, QlikPattern);

        Assert.False(result.Success);
        Assert.Equal(reason, result.FailureReason);
    }

    [Theory]
    [InlineData(@"ANONYMOUS\anon-1")]
    [InlineData(@"anonymous\anon-1")]
    [InlineData("\uFF21\uFF2E\uFF2F\uFF2E\uFF39\uFF2D\uFF2F\uFF35\uFF33\\anon-1")]
    public void ParseDynamic_ReservedDirectory_Fails(string header)
    {
        var result = HeaderIdentity.ParseDynamic(header, QlikPattern);

        Assert.False(result.Success);
        Assert.Equal("the user directory in the header value names the user directory ANONYMOUS, which is reserved for anonymous access", result.FailureReason);
    }

    [Theory]
    [InlineData("ANONYMOUS \\anon-1", "ends with whitespace (U+0020)")]
    [InlineData("ANONYMOUS\u200B\\anon-1", "contains an invisible formatting character (U+200B)")]
    public void ParseDynamic_ReservedDirectoryWithHiddenCharacters_Fails(string header, string reason)
    {
        var result = HeaderIdentity.ParseDynamic(header, QlikPattern);

        Assert.False(result.Success);
        Assert.Equal("the user directory in the header value " + reason, result.FailureReason);
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

    [Fact]
    public void ParseDynamic_PrefixAndSuffixLiterals_Matched()
    {
        var result = HeaderIdentity.ParseDynamic("user=CORP;bob;", "user=$ud;$id;");

        Assert.True(result.Success, result.FailureReason);
        Assert.Equal(new AuthenticatedUser("CORP", "bob"), result.User);
    }

    [Fact]
    public void ParseDynamic_SpacesInsideTheLiterals_AreRefusedNotTrimmed()
    {
        var result = HeaderIdentity.ParseDynamic("user= CORP ; bob ;", "user=$ud;$id;");

        Assert.False(result.Success);
        Assert.Equal("the user directory in the header value begins with whitespace (U+0020)", result.FailureReason);
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
