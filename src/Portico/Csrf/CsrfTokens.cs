using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Portico.Csrf;

/// <summary>
/// The qlik-csrf-token of a session: an HMAC of the session id under a server key. It needs no
/// storage, so every Portico node that shares the key (the data directory) derives the same token,
/// it changes whenever the session does, and a token of one session never fits another.
/// </summary>
internal sealed class CsrfTokens
{
    private const string KeyFileName = "csrf-token-key";
    private readonly byte[] _key;

    public CsrfTokens(byte[] key)
    {
        if (key.Length < 32)
        {
            throw new ArgumentException("The CSRF key must have at least 256 bits.", nameof(key));
        }

        _key = key;
    }

    /// <summary>Reads the key from the data directory, creating it once (256 random bits, readable by the owner only).</summary>
    public static CsrfTokens FromDataDirectory(string dataDirectory) => new(Hosting.DataDirectoryKey.LoadOrCreate(dataDirectory, KeyFileName));

    public string For(string sessionId) => Base64Url.EncodeToString(Mac(sessionId));

    /// <summary>Constant-time comparison, so the time taken says nothing about how much of a guess was right.</summary>
    public bool Matches(string sessionId, string? presented)
    {
        if (string.IsNullOrEmpty(presented) || presented.Length > 128)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(For(sessionId));
        var actual = Encoding.UTF8.GetBytes(presented);
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    private byte[] Mac(string sessionId) => HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes("qlik-csrf-token:" + sessionId));
}
