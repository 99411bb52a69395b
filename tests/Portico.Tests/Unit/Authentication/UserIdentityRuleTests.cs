using Portico.Authentication;

namespace Portico.Tests.Unit.Authentication;

public sealed class UserIdentityRuleTests
{
    [Theory]
    [InlineData("alice")]
    [InlineData("bob smith")]
    [InlineData(@"CORP\bob")]
    [InlineData("bob@corp.example.com")]
    [InlineData("jos\u00e9")]
    [InlineData("\u5c71\u7530")]
    [InlineData("bob\U0001F600")]
    [InlineData("alice\u00a0smith")]
    [InlineData("a")]
    public void CheckUserId_PlainValue_IsValid(string value)
    {
        var check = UserIdentityRule.CheckUserId(value, "UserId");

        Assert.True(check.IsValid, check.Reason);
        Assert.Null(check.Reason);
    }

    [Fact]
    public void CheckUserId_AtTheLengthBound_IsValid()
    {
        Assert.True(UserIdentityRule.CheckUserId(new string('a', UserIdentityRule.MaxLength), "UserId").IsValid);
    }

    /// <summary>Every class of character the rule refuses, with the reason it gives (always naming the field).</summary>
    public static TheoryData<string?, string> RefusedValues() => new()
    {
        { null, "UserId is empty" },
        { "", "UserId is empty" },
        { new string('a', UserIdentityRule.MaxLength + 1), "UserId is longer than 256 characters" },

        // Control characters (Cc).
        { "bob\r", "UserId contains a control character (U+000D)" },
        { "bob\nadmin", "UserId contains a control character (U+000A)" },
        { "bob\r\nX-Qlik-User: admin", "UserId contains a control character (U+000D)" },
        { "bo\0b", "UserId contains a control character (U+0000)" },
        { "bob\t", "UserId contains a control character (U+0009)" },
        { "bob\u001b[31m", "UserId contains a control character (U+001B)" },
        { "bob\u007f", "UserId contains a control character (U+007F)" },
        { "bob\u0085", "UserId contains a control character (U+0085)" },

        // Format characters (Cf): bidi overrides and isolates, zero-width characters, BOM, soft hyphen.
        { "\u202enimda", "UserId contains an invisible formatting character (U+202E)" },
        { "admin\u202d", "UserId contains an invisible formatting character (U+202D)" },
        { "ad\u2066min\u2069", "UserId contains an invisible formatting character (U+2066)" },
        { "ad\u200bmin", "UserId contains an invisible formatting character (U+200B)" },
        { "ad\u200cmin", "UserId contains an invisible formatting character (U+200C)" },
        { "ad\u200dmin", "UserId contains an invisible formatting character (U+200D)" },
        { "ad\u2060min", "UserId contains an invisible formatting character (U+2060)" },
        { "\ufeffadmin", "UserId contains an invisible formatting character (U+FEFF)" },
        { "ad\u00admin", "UserId contains an invisible formatting character (U+00AD)" },
        { "admin\U000E0041", "UserId contains an invisible formatting character (U+E0041)" },

        // Line and paragraph separators.
        { "bob\u2028admin", "UserId contains a line or paragraph separator (U+2028)" },
        { "bob\u2029", "UserId contains a line or paragraph separator (U+2029)" },

        // Whitespace at either end, of any kind.
        { " admin", "UserId begins with whitespace (U+0020)" },
        { "admin ", "UserId ends with whitespace (U+0020)" },
        { "\u00a0admin\u00a0", "UserId begins with whitespace (U+00A0)" },
        { "admin\u00a0", "UserId ends with whitespace (U+00A0)" },
        { "admin\u3000", "UserId ends with whitespace (U+3000)" },
        { "\u2003admin", "UserId begins with whitespace (U+2003)" },
        { "admin\u202f", "UserId ends with whitespace (U+202F)" },
        { "   ", "UserId begins with whitespace (U+0020)" },
    };

    [Theory]
    [MemberData(nameof(RefusedValues))]
    public void CheckUserId_RefusedCharacterClass_FailsNamingTheField(string? value, string reason)
    {
        var check = UserIdentityRule.CheckUserId(value, "UserId");

        Assert.False(check.IsValid);
        Assert.Equal(reason, check.Reason);
    }

    [Theory]
    [MemberData(nameof(RefusedValues))]
    public void CheckUserDirectory_RefusedCharacterClass_FailsAlike(string? value, string reason)
    {
        var check = UserIdentityRule.CheckUserDirectory(value, "UserId");

        Assert.False(check.IsValid);
        Assert.Equal(reason, check.Reason);
    }

    [Theory]
    [MemberData(nameof(RefusedValues))]
    public void CheckAttributeName_RefusedCharacterClass_FailsAlike(string? value, string reason)
    {
        var check = UserIdentityRule.CheckAttributeName(value, "UserId");

        Assert.False(check.IsValid);
        Assert.Equal(reason, check.Reason);
    }

    [Fact]
    public void Check_UnpairedSurrogate_FailsInEveryField()
    {
        // Built here rather than in theory data: the test runner replaces lone surrogates in data.
        string[] values = ["bob" + '\ud800', '\udc00' + "bob", "bob" + '\ude00' + '\ud83d', '\ud83d' + "x"];
        foreach (var value in values)
        {
            Assert.Equal("f is not valid Unicode (an unpaired surrogate)", UserIdentityRule.CheckUserId(value, "f").Reason);
            Assert.Equal("f is not valid Unicode (an unpaired surrogate)", UserIdentityRule.CheckUserDirectory(value, "f").Reason);
            Assert.Equal("f is not valid Unicode (an unpaired surrogate)", UserIdentityRule.CheckAttributeName(value, "f").Reason);
            Assert.Equal("f is not valid Unicode (an unpaired surrogate)", UserIdentityRule.CheckAttributeValue(value, "f").Reason);
        }
    }

    [Theory]
    [InlineData("ANONYMOUS")]
    [InlineData("anonymous")]
    [InlineData("Anonymous")]
    [InlineData("aNoNyMoUs")]
    [InlineData("\uff21\uff2e\uff2f\uff2e\uff39\uff2d\uff2f\uff35\uff33")]
    [InlineData("\uff41\uff4e\uff4f\uff4e\uff59\uff4d\uff4f\uff55\uff53")]
    [InlineData("ANON\uff39MOUS")]
    [InlineData("\u24b6\u24c3\u24c4\u24c3\u24ce\u24c2\u24c4\u24ca\u24c8")]
    [InlineData("\U0001D400\U0001D40D\U0001D40E\U0001D40D\U0001D418\U0001D40C\U0001D40E\U0001D414\U0001D412")]
    [InlineData("ANONYMOU\u017f")]
    [InlineData("A\u2116NYMOUS")]
    [InlineData("\u1d2cNONYMOUS")]
    public void CheckUserDirectory_ReservedAfterNormalizationAndCase_Fails(string directory)
    {
        var check = UserIdentityRule.CheckUserDirectory(directory, "UserDirectory");

        Assert.False(check.IsValid);
        Assert.Equal("UserDirectory names the user directory ANONYMOUS, which is reserved for anonymous access", check.Reason);
    }

    [Theory]
    [InlineData(" ANONYMOUS", "begins with whitespace")]
    [InlineData("ANONYMOUS ", "ends with whitespace")]
    [InlineData("ANONYMOUS\u200b", "invisible formatting character (U+200B)")]
    [InlineData("\u200bANONYMOUS", "invisible formatting character (U+200B)")]
    [InlineData("ANONY\u00adMOUS", "invisible formatting character (U+00AD)")]
    [InlineData("ANONYMOUS\u00a0", "ends with whitespace (U+00A0)")]
    [InlineData("ANONYMOUS\r\n", "control character (U+000D)")]
    public void CheckUserDirectory_AnonymousWithHiddenCharacters_Fails(string directory, string reason)
    {
        var check = UserIdentityRule.CheckUserDirectory(directory, "UserDirectory");

        Assert.False(check.IsValid);
        Assert.StartsWith("UserDirectory ", check.Reason, StringComparison.Ordinal);
        Assert.Contains(reason, check.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ANONYMOUS2")]
    [InlineData("ANON")]
    [InlineData("ANONYM0US")]
    [InlineData("NOT ANONYMOUS")]
    [InlineData("CORP")]
    public void CheckUserDirectory_OtherDirectory_IsValid(string directory)
    {
        var check = UserIdentityRule.CheckUserDirectory(directory, "UserDirectory");

        Assert.True(check.IsValid, check.Reason);
    }

    [Theory]
    [InlineData("ANONYMOUS")]
    [InlineData("anonymous")]
    public void CheckUserId_AnonymousAsAUserId_IsValid(string userId)
    {
        // Only the directory is reserved: a user may be called "anonymous" in a real directory.
        Assert.True(UserIdentityRule.CheckUserId(userId, "UserId").IsValid);
    }

    [Fact]
    public void CheckUser_BadDirectory_ReportsTheDirectoryFirst()
    {
        var check = UserIdentityRule.CheckUser("CORP\n", "UserDirectory", "bob\n", "UserId");

        Assert.Equal("UserDirectory contains a control character (U+000A)", check.Reason);
    }

    [Fact]
    public void CheckUser_BadUserId_NamesTheUserIdField()
    {
        var check = UserIdentityRule.CheckUser("CORP", "UserDirectory", "bob\u202e", "UserId");

        Assert.Equal("UserId contains an invisible formatting character (U+202E)", check.Reason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Sales")]
    [InlineData("Sales and Marketing")]
    [InlineData("CN=Bob Smith,OU=Sales,DC=corp,DC=example,DC=com")]
    public void CheckAttributeValue_EmptyOrInnerSpaces_IsValid(string value)
    {
        Assert.True(UserIdentityRule.CheckAttributeValue(value, "Attributes[0] value").IsValid);
    }

    [Theory]
    [InlineData(null, "Attributes[0] value is empty")]
    [InlineData("Sales\r\nAdmin", "Attributes[0] value contains a control character (U+000D)")]
    [InlineData("Sa\u200bles", "Attributes[0] value contains an invisible formatting character (U+200B)")]
    [InlineData("\u202eselaS", "Attributes[0] value contains an invisible formatting character (U+202E)")]
    [InlineData("Sales\u2028", "Attributes[0] value contains a line or paragraph separator (U+2028)")]
    [InlineData(" Sales", "Attributes[0] value begins with whitespace (U+0020)")]
    [InlineData("Sales\u00a0", "Attributes[0] value ends with whitespace (U+00A0)")]
    public void CheckAttributeValue_RefusedCharacter_Fails(string? value, string reason)
    {
        var check = UserIdentityRule.CheckAttributeValue(value, "Attributes[0] value");

        Assert.False(check.IsValid);
        Assert.Equal(reason, check.Reason);
    }

    [Fact]
    public void CheckAttributeValue_LengthBound_IsEnforced()
    {
        Assert.True(UserIdentityRule.CheckAttributeValue(new string('x', UserIdentityRule.MaxAttributeValueLength), "v").IsValid);
        Assert.Equal(
            $"v is longer than {UserIdentityRule.MaxAttributeValueLength} characters",
            UserIdentityRule.CheckAttributeValue(new string('x', UserIdentityRule.MaxAttributeValueLength + 1), "v").Reason);
    }

    [Fact]
    public void CheckAttributeName_AnonymousDirectoryName_IsNotReserved()
    {
        Assert.True(UserIdentityRule.CheckAttributeName("ANONYMOUS", "name").IsValid);
    }

    [Theory]
    [InlineData("bob\r\nFAKE LOG LINE")]
    [InlineData("\u202eevil")]
    [InlineData("secret-value\u200b")]
    public void Check_Reason_NeverRepeatsTheValue(string value)
    {
        var reason = UserIdentityRule.CheckUserId(value, "UserId").Reason!;

        Assert.DoesNotContain("FAKE", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("evil", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AnonymousUser_MadeByPortico_IsStillAnonymous()
    {
        Assert.True(new AuthenticatedUser(AuthenticatedUser.AnonymousDirectory, "anon-0123").IsAnonymous);
        Assert.False(new AuthenticatedUser("CORP", "anonymous").IsAnonymous);
    }
}
