using System.Security.Cryptography;
using System.Text;

namespace Portico.Hosting;

/// <summary>
/// A 256-bit secret kept in a file of the data directory, created once and then shared by every node
/// that shares the directory.
/// </summary>
internal static class DataDirectoryKey
{
    /// <summary>Reads the key, creating it first when missing (random, readable by the owner only).</summary>
    public static byte[] LoadOrCreate(string dataDirectory, string fileName)
    {
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, fileName);
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

        return Convert.FromBase64String(File.ReadAllText(path).Trim());
    }
}
