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
    public static CsrfTokens FromDataDirectory(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, KeyFileName);
        if (!File.Exists(path))
        {
            // Written to a private temporary file and moved into place, so no other user can read it
            // while it is written and no other node reads half a key.
            var temporary = path + "." + Guid.NewGuid().ToString("n") + ".tmp";
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));
            }

            try
            {
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another node sharing the data directory created it first; use theirs.
                File.Delete(temporary);
            }
        }

        return new CsrfTokens(Convert.FromBase64String(File.ReadAllText(path).Trim()));
    }

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
