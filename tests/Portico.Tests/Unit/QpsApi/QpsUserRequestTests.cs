using System.Text.Json;
using Portico.QpsApi;

namespace Portico.Tests.Unit.QpsApi;

public sealed class QpsUserRequestTests
{
    private static (QpsUserRequest? Request, string? Error) Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return QpsUserRequest.Parse(document.RootElement);
    }

    private static void AssertRefused(string json, string error)
    {
        var (request, actual) = Parse(json);

        Assert.Null(request);
        Assert.Equal(error, actual);
    }

    [Fact]
    public void Parse_QliksShapeInAnyCase_ReadsEveryField()
    {
        var (request, error) = Parse("""{"userdirectory":"CORP","USERID":"alice","Attributes":[{"Group":"Sales"},{"Group":"Sales and Marketing","Email":"a@corp"}],"targetId":"t1","SessionID":"s1"}""");

        Assert.Null(error);
        Assert.NotNull(request);
        Assert.Equal("CORP", request.UserDirectory);
        Assert.Equal("alice", request.UserId);
        Assert.Equal([new("Group", "Sales"), new("Group", "Sales and Marketing"), new("Email", "a@corp")], request.Attributes);
        Assert.Equal("t1", request.TargetId);
        Assert.Equal("s1", request.SessionId);
    }

    [Theory]
    [InlineData("""{"UserDirectory":"CORP","UserId":"alice","userid":"admin"}""", "UserId")]
    [InlineData("""{"UserDirectory":"CORP","UserId":"alice","UserId":"admin"}""", "UserId")]
    [InlineData("""{"UserDirectory":"CORP","USERID":"admin","UserId":"alice"}""", "UserId")]
    [InlineData("""{"userdirectory":"ANONYMOUS","UserDirectory":"CORP","UserId":"alice"}""", "UserDirectory")]
    [InlineData("""{"UserDirectory":"CORP","UserId":"alice","Attributes":[],"attributes":[{"Group":"Admin"}]}""", "Attributes")]
    [InlineData("""{"UserDirectory":"CORP","UserId":"alice","TargetId":"a","TARGETID":"b"}""", "TargetId")]
    [InlineData("""{"UserDirectory":"CORP","UserId":"alice","SessionId":"a","sessionid":"b"}""", "SessionId")]
    [InlineData("""{"UserDirectory":"CORP","UserId":"alice","Extra":1,"EXTRA":2}""", "\"EXTRA\"")]
    [InlineData("""{"UserDirectory":"CORP","User\u0049d":"alice","userid":"admin"}""", "UserId")]
    public void Parse_DuplicateKeyInAnyCase_IsRefusedNamingTheKey(string json, string key)
    {
        AssertRefused(json, $"the key {key} appears more than once (keys are matched case-insensitively)");
    }

    [Fact]
    public void Parse_DuplicateUnknownKeyWithControlCharacters_IsNamedEscaped()
    {
        AssertRefused(
            """{"UserDirectory":"CORP","UserId":"alice","a\r\nb":1,"A\r\nB":2}""",
            "the key \"A\\u000D\\u000AB\" appears more than once (keys are matched case-insensitively)");
    }

    [Fact]
    public void Parse_SameAttributeNameInSeparateObjects_IsAccepted()
    {
        var (request, error) = Parse("""{"UserDirectory":"CORP","UserId":"alice","Attributes":[{"Group":"Sales"},{"group":"Admin"}]}""");

        Assert.Null(error);
        Assert.Equal(2, request!.Attributes.Count);
    }

    [Theory]
    [InlineData("UserId", "alice\\r", "UserId contains a control character (U+000D)")]
    [InlineData("UserId", "alice\\u0000", "UserId contains a control character (U+0000)")]
    [InlineData("UserId", "ali\\nce", "UserId contains a control character (U+000A)")]
    [InlineData("UserId", "\\u202Eecila", "UserId contains an invisible formatting character (U+202E)")]
    [InlineData("UserId", "ad\\u200Bmin", "UserId contains an invisible formatting character (U+200B)")]
    [InlineData("UserId", "admin\\u2028", "UserId contains a line or paragraph separator (U+2028)")]
    [InlineData("UserId", " admin", "UserId begins with whitespace (U+0020)")]
    [InlineData("UserId", "admin ", "UserId ends with whitespace (U+0020)")]
    [InlineData("UserId", "\\u00A0admin\\u00A0", "UserId begins with whitespace (U+00A0)")]
    [InlineData("UserDirectory", "CORP\\r\\n", "UserDirectory contains a control character (U+000D)")]
    [InlineData("UserDirectory", "CO\\u200DRP", "UserDirectory contains an invisible formatting character (U+200D)")]
    [InlineData("UserDirectory", "CORP ", "UserDirectory ends with whitespace (U+0020)")]
    [InlineData("UserDirectory", " ANONYMOUS", "UserDirectory begins with whitespace (U+0020)")]
    [InlineData("UserDirectory", "ANONYMOUS ", "UserDirectory ends with whitespace (U+0020)")]
    [InlineData("UserDirectory", "ANONYMOUS\\u200B", "UserDirectory contains an invisible formatting character (U+200B)")]
    [InlineData("UserDirectory", "ANONYMOUS", "UserDirectory names the user directory ANONYMOUS, which is reserved for anonymous access")]
    [InlineData("UserDirectory", "anonymous", "UserDirectory names the user directory ANONYMOUS, which is reserved for anonymous access")]
    [InlineData("UserDirectory", "\\uFF21\\uFF2E\\uFF2F\\uFF2E\\uFF39\\uFF2D\\uFF2F\\uFF35\\uFF33", "UserDirectory names the user directory ANONYMOUS, which is reserved for anonymous access")]
    public void Parse_UserFieldBreakingTheIdentityRule_IsRefusedNamingTheField(string field, string jsonEscapedValue, string error)
    {
        var body = field == "UserId"
            ? $$"""{"UserDirectory":"CORP","UserId":"{{jsonEscapedValue}}"}"""
            : $$"""{"UserDirectory":"{{jsonEscapedValue}}","UserId":"alice"}""";

        AssertRefused(body, error);
    }

    [Theory]
    [InlineData("""{"UserDirectory":"CORP","UserId":"admin\uD800"}""")]
    [InlineData("""{"UserDirectory":"CORP\uDC00","UserId":"admin"}""")]
    [InlineData("""{"UserDirectory":"CORP","UserId":"admin","\uD800":"x"}""")]
    [InlineData("""{"UserDirectory":"CORP","UserId":"admin","Attributes":[{"Group":"\uD83D"}]}""")]
    [InlineData("""{"UserDirectory":"CORP","UserId":"admin","Attributes":[{"\uDFFF":"Sales"}]}""")]
    public void Parse_UnpairedSurrogateEscape_IsRefusedWithoutThrowing(string json)
    {
        AssertRefused(json, "the body is not valid Unicode: a string or key is not valid UTF-8 or escapes an unpaired surrogate");
    }

    [Fact]
    public void Parse_UserIdTooLong_IsRefused()
    {
        AssertRefused(
            $$"""{"UserDirectory":"CORP","UserId":"{{new string('a', 257)}}"}""",
            "UserId is longer than 256 characters");
    }

    [Theory]
    [InlineData("""[{"Gro\u200Bup":"Sales"}]""", "Attributes[0] name contains an invisible formatting character (U+200B)")]
    [InlineData("""[{"Group":"Sales"},{"Group\r":"Sales"}]""", "Attributes[1] name contains a control character (U+000D)")]
    [InlineData("""[{"":"Sales"}]""", "Attributes[0] name is empty")]
    [InlineData("""[{" Group":"Sales"}]""", "Attributes[0] name begins with whitespace (U+0020)")]
    [InlineData("""[{"Group":"Sales\nAdmin"}]""", "Attributes[0] value contains a control character (U+000A)")]
    [InlineData("""[{"Group":"\u202ESelas"}]""", "Attributes[0] value contains an invisible formatting character (U+202E)")]
    [InlineData("""[{"Group":"Admin\u00A0"}]""", "Attributes[0] value ends with whitespace (U+00A0)")]
    [InlineData("""[{"Group":"Sales"},{"Email":"a@corp","Group":"Ad\u2029min"}]""", "Attributes[1] value contains a line or paragraph separator (U+2029)")]
    public void Parse_AttributeBreakingTheIdentityRule_IsRefusedNamingIt(string attributes, string error)
    {
        AssertRefused($$"""{"UserDirectory":"CORP","UserId":"alice","Attributes":{{attributes}}}""", error);
    }

    [Fact]
    public void Parse_AttributeValueTooLong_IsRefused()
    {
        AssertRefused(
            $$"""{"UserDirectory":"CORP","UserId":"alice","Attributes":[{"Group":"{{new string('x', 4097)}}"}]}""",
            "Attributes[0] value is longer than 4096 characters");
    }

    [Fact]
    public void Parse_AttributeValueWithInnerSpacesOrEmpty_IsAccepted()
    {
        var (request, error) = Parse("""{"UserDirectory":"CORP","UserId":"alice","Attributes":[{"Group":"Sales and Marketing"},{"Note":""}]}""");

        Assert.Null(error);
        Assert.Equal([new("Group", "Sales and Marketing"), new("Note", "")], request!.Attributes);
    }

    [Theory]
    [InlineData("""{"UserId":"alice"}""", "UserDirectory is required (a non-empty string)")]
    [InlineData("""{"UserDirectory":"CORP","UserId":42}""", "UserId is required (a non-empty string)")]
    [InlineData("""{"UserDirectory":"CORP","UserId":"alice","Attributes":"x"}""", "Attributes must be an array of objects with string values, e.g. [{\"Group\": \"Sales\"}]")]
    [InlineData("""[]""", "the body must be a JSON object")]
    public void Parse_WrongShape_IsRefusedAsBefore(string json, string error)
    {
        AssertRefused(json, error);
    }
}
