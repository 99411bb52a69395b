namespace Portico.Audit;

/// <summary>
/// Audit lines appended to a file that is rotated by size: before a line would take it past
/// <c>maxFileBytes</c>, <c>name</c> becomes <c>name.1</c>, <c>name.1</c> becomes <c>name.2</c>, and so on;
/// the oldest beyond <c>maxFiles</c> is deleted. The disk used is at most maxFiles × maxFileBytes.
/// </summary>
internal sealed class AuditFileSink : IAuditSink
{
    private readonly string _path;
    private readonly long _maxFileBytes;
    private readonly int _maxFiles;
    private FileStream _stream;

    public AuditFileSink(string path, long maxFileBytes, int maxFiles)
    {
        _path = path;
        _maxFileBytes = maxFileBytes;
        _maxFiles = maxFiles;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        _stream = Open();
    }

    public void Write(ReadOnlySpan<byte> line)
    {
        if (_stream.Length > 0 && _stream.Length + line.Length > _maxFileBytes)
        {
            Rotate();
        }

        _stream.Write(line);
    }

    public void Flush() => _stream.Flush(flushToDisk: false);

    public void Dispose() => _stream.Dispose();

    private void Rotate()
    {
        _stream.Dispose();
        File.Delete(RotatedPath(_maxFiles - 1));
        for (var i = _maxFiles - 2; i >= 1; i--)
        {
            if (File.Exists(RotatedPath(i)))
            {
                File.Move(RotatedPath(i), RotatedPath(i + 1), overwrite: true);
            }
        }

        File.Move(_path, RotatedPath(1), overwrite: true);
        _stream = Open();
    }

    private string RotatedPath(int index) => $"{_path}.{index}";

    private FileStream Open()
    {
        // Readable by the owner and the group (an admin's log collector), not by everyone: the
        // lines name users and their addresses.
        var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.Read | FileShare.Delete, BufferSize = 16_384 };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
        }

        return new FileStream(_path, options);
    }
}
