using System.Text;
using Portico.Admin;

namespace Portico.Tests.Unit.Admin;

/// <summary>docs/admin-api.md "Atomic writes": the file is replaced whole or not at all.</summary>
public sealed class FileConfigSourceTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "portico-tests", Guid.NewGuid().ToString("n"));
    private readonly string _path;

    public FileConfigSourceTests()
    {
        Directory.CreateDirectory(_directory);
        _path = Path.Combine(_directory, "portico.json");
        File.WriteAllText(_path, """{ "old": true }""");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Write_WithTheVersionRead_ReplacesTheFile_AndReturnsTheNewVersion()
    {
        var source = new FileConfigSource(_path);
        var read = await source.ReadAsync(CancellationToken.None);

        var written = await source.WriteAsync("""{ "new": true }""", read.Version, CancellationToken.None);

        Assert.NotNull(written);
        Assert.Equal("""{ "new": true }""", await File.ReadAllTextAsync(_path));
        Assert.Equal(FileConfigSource.VersionOf(Encoding.UTF8.GetBytes("""{ "new": true }""")), written.Version);
        Assert.Equal(written.Version, (await source.ReadAsync(CancellationToken.None)).Version);
        Assert.Equal([_path], Directory.GetFiles(_directory));
    }

    [Fact]
    public async Task Write_AfterAHandEdit_WritesNothing()
    {
        var source = new FileConfigSource(_path);
        var read = await source.ReadAsync(CancellationToken.None);
        await File.WriteAllTextAsync(_path, """{ "edited": true }""");

        var written = await source.WriteAsync("""{ "new": true }""", read.Version, CancellationToken.None);

        Assert.Null(written);
        Assert.Equal("""{ "edited": true }""", await File.ReadAllTextAsync(_path));
    }

    [Fact]
    public async Task CrashMidWrite_LeavesTheOldFileWhole()
    {
        string? seenOriginal = null;
        string? seenTemporary = null;
        var source = new FileConfigSource(_path, async temporary =>
        {
            // The new text is complete on disk, beside the untouched original; then the process "dies".
            seenTemporary = await File.ReadAllTextAsync(temporary);
            seenOriginal = await File.ReadAllTextAsync(_path);
            throw new IOException("simulated crash before the rename");
        });
        var read = await source.ReadAsync(CancellationToken.None);

        await Assert.ThrowsAsync<IOException>(async () => await source.WriteAsync("""{ "new": true }""", read.Version, CancellationToken.None));

        Assert.Equal("""{ "new": true }""", seenTemporary);
        Assert.Equal("""{ "old": true }""", seenOriginal);
        Assert.Equal("""{ "old": true }""", await File.ReadAllTextAsync(_path));
        Assert.Equal([_path], Directory.GetFiles(_directory));
    }

    [Fact]
    public async Task Write_KeepsTheFilesPermissions()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        File.SetUnixFileMode(_path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var source = new FileConfigSource(_path);
        var read = await source.ReadAsync(CancellationToken.None);

        await source.WriteAsync("{}", read.Version, CancellationToken.None);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_path));
    }
}
