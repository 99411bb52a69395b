using System.Security.Cryptography;
using Portico.Csrf;

namespace Portico.Tests.Unit.Csrf;

/// <summary>The qlik-csrf-token of a session: an HMAC of the session id under a key kept in the data directory.</summary>
public sealed class CsrfTokensTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "portico-csrf-" + Guid.NewGuid().ToString("N"));

    private static CsrfTokens NewTokens() => new(RandomNumberGenerator.GetBytes(32));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void For_SameSessionTwice_GivesTheSameToken()
    {
        var tokens = NewTokens();

        Assert.Equal(tokens.For("session-a"), tokens.For("session-a"));
    }

    [Fact]
    public void For_AnySession_IsUnpaddedBase64UrlOf256Bits()
    {
        var token = NewTokens().For("session-a");

        Assert.Equal(43, token.Length);
        Assert.All(token, c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '-' or '_', $"'{c}' in {token}"));
    }

    [Fact]
    public void For_DifferentSessions_GiveDifferentTokens()
    {
        var tokens = NewTokens();

        Assert.NotEqual(tokens.For("session-a"), tokens.For("session-b"));
        Assert.NotEqual(tokens.For("session-a"), tokens.For("session-A"));
    }

    [Fact]
    public void For_DifferentKeys_GiveDifferentTokensForTheSameSession()
    {
        Assert.NotEqual(NewTokens().For("session-a"), NewTokens().For("session-a"));
    }

    [Fact]
    public void For_SameKeyInTwoInstances_GivesTheSameToken()
    {
        var key = RandomNumberGenerator.GetBytes(32);

        Assert.Equal(new CsrfTokens(key).For("session-a"), new CsrfTokens((byte[])key.Clone()).For("session-a"));
    }

    [Fact]
    public void For_TokenDoesNotContainTheSessionId()
    {
        const string sessionId = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

        Assert.DoesNotContain(sessionId[..8], NewTokens().For(sessionId), StringComparison.Ordinal);
    }

    [Fact]
    public void Matches_TheSessionsOwnToken_IsTrue()
    {
        var tokens = NewTokens();

        Assert.True(tokens.Matches("session-a", tokens.For("session-a")));
    }

    [Fact]
    public void Matches_AnotherSessionsToken_IsFalse()
    {
        var tokens = NewTokens();

        Assert.False(tokens.Matches("session-b", tokens.For("session-a")));
    }

    [Fact]
    public void Matches_TheSameSessionsTokenUnderAnotherKey_IsFalse()
    {
        Assert.False(NewTokens().Matches("session-a", NewTokens().For("session-a")));
    }

    [Fact]
    public void Matches_PrefixesOfTheToken_AreFalse()
    {
        var tokens = NewTokens();
        var token = tokens.For("session-a");

        for (var length = 0; length < token.Length; length++)
        {
            Assert.False(tokens.Matches("session-a", token[..length]), $"prefix of length {length} matched");
        }
    }

    [Fact]
    public void Matches_TokenWithExtraCharacters_IsFalse()
    {
        var tokens = NewTokens();
        var token = tokens.For("session-a");

        Assert.False(tokens.Matches("session-a", token + "A"));
        Assert.False(tokens.Matches("session-a", token + "="));
        Assert.False(tokens.Matches("session-a", " " + token));
    }

    [Fact]
    public void Matches_TokenWithOneCharacterChangedOrDifferentCase_IsFalse()
    {
        var tokens = NewTokens();
        var token = tokens.For("session-a");
        var changed = (token[^1] == 'A' ? 'B' : 'A') + "";

        Assert.False(tokens.Matches("session-a", token[..^1] + changed));
        var letter = token.IndexOf(token.First(char.IsAsciiLetter));
        var flipped = char.IsAsciiLetterUpper(token[letter]) ? char.ToLowerInvariant(token[letter]) : char.ToUpperInvariant(token[letter]);
        Assert.False(tokens.Matches("session-a", token[..letter] + flipped + token[(letter + 1)..]));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Matches_NullOrEmpty_IsFalse(string? presented)
    {
        Assert.False(NewTokens().Matches("session-a", presented));
    }

    [Fact]
    public void Matches_OversizedValue_IsFalse()
    {
        var tokens = NewTokens();
        var token = tokens.For("session-a");

        Assert.False(tokens.Matches("session-a", token + new string('x', 200)));
        Assert.False(tokens.Matches("session-a", new string('x', 1_000_000)));
    }

    [Fact]
    public void Matches_NonAsciiValueOfTheSameLength_IsFalse()
    {
        var tokens = NewTokens();

        Assert.False(tokens.Matches("session-a", new string('é', 43)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    [InlineData(31)]
    public void Constructor_KeyShorterThan256Bits_IsRefused(int length)
    {
        Assert.Throws<ArgumentException>(() => new CsrfTokens(new byte[length]));
    }

    [Fact]
    public void FromDataDirectory_FirstStart_CreatesTheDirectoryAndA256BitKey()
    {
        var tokens = CsrfTokens.FromDataDirectory(_directory);

        var keyFile = Path.Combine(_directory, "csrf-token-key");
        Assert.True(File.Exists(keyFile));
        Assert.Equal(32, Convert.FromBase64String(File.ReadAllText(keyFile).Trim()).Length);
        Assert.True(tokens.Matches("session-a", tokens.For("session-a")));
    }

    [Fact]
    public void FromDataDirectory_KeyFile_IsReadableAndWritableByTheOwnerOnly()
    {
        CsrfTokens.FromDataDirectory(_directory);
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_directory, "csrf-token-key")));
    }

    [Fact]
    public void FromDataDirectory_SecondStart_ReusesTheKeyWithoutRewritingIt()
    {
        var first = CsrfTokens.FromDataDirectory(_directory);
        var keyFile = Path.Combine(_directory, "csrf-token-key");
        var content = File.ReadAllBytes(keyFile);
        var written = File.GetLastWriteTimeUtc(keyFile);

        var second = CsrfTokens.FromDataDirectory(_directory);

        Assert.Equal(first.For("session-a"), second.For("session-a"));
        Assert.True(second.Matches("session-a", first.For("session-a")));
        Assert.Equal(content, File.ReadAllBytes(keyFile));
        Assert.Equal(written, File.GetLastWriteTimeUtc(keyFile));
    }

    [Fact]
    public void FromDataDirectory_TwoDataDirectories_HaveDifferentKeys()
    {
        var other = _directory + "-other";
        try
        {
            Assert.NotEqual(CsrfTokens.FromDataDirectory(_directory).For("session-a"), CsrfTokens.FromDataDirectory(other).For("session-a"));
        }
        finally
        {
            Directory.Delete(other, recursive: true);
        }
    }
}
