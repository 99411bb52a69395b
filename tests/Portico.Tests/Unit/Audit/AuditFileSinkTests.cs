using System.Text;
using Portico.Audit;

namespace Portico.Tests.Unit.Audit;

public sealed class AuditFileSinkTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "portico-tests", Guid.NewGuid().ToString("n"));

    [Fact]
    public void Write_PastMaxFileBytes_RotatesAndKeepsAtMostMaxFiles()
    {
        var path = Path.Combine(_directory, "audit", "portico-audit.jsonl");
        const int MaxBytes = 4_096;
        using (var sink = new AuditFileSink(path, MaxBytes, maxFiles: 3))
        {
            for (var i = 0; i < 200; i++)
            {
                sink.Write(Encoding.ASCII.GetBytes($"{{\"n\":{i:D4},\"pad\":\"{new string('x', 80)}\"}}\n"));
            }

            sink.Flush();
        }

        var files = Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(["portico-audit.jsonl", "portico-audit.jsonl.1", "portico-audit.jsonl.2"], files);
        Assert.All(files, f => Assert.InRange(new FileInfo(Path.Combine(_directory, "audit", f!)).Length, 1, MaxBytes));

        // Oldest first across .2, .1 and the current file: an unbroken run ending with the last line.
        var numbers = new[] { ".2", ".1", "" }
            .SelectMany(suffix => File.ReadAllLines(path + suffix))
            .Select(l => int.Parse(l.AsSpan(5, 4), System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
        Assert.Equal(199, numbers[^1]);
        Assert.Equal(Enumerable.Range(numbers[0], numbers.Count), numbers);
        Assert.True(numbers[0] > 0, "the oldest lines were deleted");
    }

    [Fact]
    public void Open_ExistingFile_Appends()
    {
        var path = Path.Combine(_directory, "a.jsonl");
        using (var first = new AuditFileSink(path, 1_000_000, 2))
        {
            first.Write("{\"n\":1}\n"u8);
        }

        using (var second = new AuditFileSink(path, 1_000_000, 2))
        {
            second.Write("{\"n\":2}\n"u8);
        }

        Assert.Equal(["{\"n\":1}", "{\"n\":2}"], File.ReadAllLines(path));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
