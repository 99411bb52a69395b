using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Portico.Audit;

namespace Portico.Tests.Support;

/// <summary>Keeps every audit line the writer produces, as written (bytes to text) and parsed.</summary>
internal sealed class MemoryAuditSink : IAuditSink
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public IReadOnlyList<JsonElement> Events => [.. _lines.Select(l => JsonDocument.Parse(l).RootElement)];

    public int Flushes { get; private set; }

    public void Write(ReadOnlySpan<byte> line) => _lines.Enqueue(Encoding.UTF8.GetString(line));

    public void Flush() => Flushes++;

    public void Dispose()
    {
    }
}
