using System.Security.Cryptography;
using System.Text;

namespace Portico.Admin;

/// <summary>
/// The configuration file of a single node. A write goes to a temporary file in the same folder,
/// is flushed to disk, and then renamed over the original (rename is atomic on one file system):
/// a crash at any point leaves either the old file or the new one, never half of one.
/// </summary>
internal sealed class FileConfigSource : IConfigSource
{
    private readonly string _path;
    private readonly Func<string, ValueTask>? _beforeReplace;

    /// <param name="beforeReplace">Runs with the temporary file's path once it is on disk, before the rename (tests make it fail, as a crash would).</param>
    public FileConfigSource(string path, Func<string, ValueTask>? beforeReplace = null)
    {
        _path = Path.GetFullPath(path);
        _beforeReplace = beforeReplace;
        RemoveLeftovers();
    }

    public string Description => $"file {_path}";

    public async ValueTask<ConfigDocument> ReadAsync(CancellationToken cancellationToken)
    {
        var bytes = await File.ReadAllBytesAsync(_path, cancellationToken);
        return Document(bytes, File.GetLastWriteTimeUtc(_path));
    }

    public async ValueTask<ConfigDocument?> WriteAsync(string text, string expectedVersion, CancellationToken cancellationToken)
    {
        var current = await File.ReadAllBytesAsync(_path, cancellationToken);
        if (!string.Equals(VersionOf(current), expectedVersion, StringComparison.Ordinal))
        {
            return null;
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        var directory = Path.GetDirectoryName(_path)!;
        var temporary = Path.Combine(directory, $".{Path.GetFileName(_path)}.{Guid.NewGuid():n}.tmp");
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
            {
                await stream.WriteAsync(bytes, cancellationToken);
                // fsync: the rename must never point at data still in the page cache.
                stream.Flush(flushToDisk: true);
            }

            if (!OperatingSystem.IsWindows())
            {
                // The file may hold secrets; the new one is as readable as the old one, no more.
                File.SetUnixFileMode(temporary, File.GetUnixFileMode(_path));
            }

            if (_beforeReplace is not null)
            {
                await _beforeReplace(temporary);
            }

            File.Move(temporary, _path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }

        return Document(bytes, File.GetLastWriteTimeUtc(_path));
    }

    /// <summary>
    /// Temporary files of writes a crash cut short (before their rename: the file itself is whole).
    /// Only this process writes through this path, and it has not written yet.
    /// </summary>
    private void RemoveLeftovers()
    {
        var directory = Path.GetDirectoryName(_path)!;
        foreach (var leftover in Directory.EnumerateFiles(directory, $".{Path.GetFileName(_path)}.*.tmp"))
        {
            try
            {
                File.Delete(leftover);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Harmless: a stale temporary file is never read.
            }
        }
    }

    /// <summary>The hash <see cref="Configuration.ConfigLoader.LoadFile"/> records, so the watcher recognises a file the API wrote.</summary>
    public static string VersionOf(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes));

    private ConfigDocument Document(byte[] bytes, DateTime lastWriteUtc)
    {
        // As the loader does: editors on Windows may save UTF-8 with a byte order mark.
        var text = Encoding.UTF8.GetString(bytes.AsSpan().StartsWith((byte[])[0xEF, 0xBB, 0xBF]) ? bytes.AsSpan(3) : bytes);
        return new ConfigDocument(text, VersionOf(bytes), new DateTimeOffset(lastWriteUtc, TimeSpan.Zero), Path.GetDirectoryName(_path)!);
    }
}
