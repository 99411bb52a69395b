namespace Portico.Audit;

/// <summary>Audit lines on standard output, for containers whose runtime collects it.</summary>
internal sealed class AuditStdoutSink : IAuditSink
{
    private readonly Stream _stdout = Console.OpenStandardOutput();

    public void Write(ReadOnlySpan<byte> line) => _stdout.Write(line);

    public void Flush() => _stdout.Flush();

    public void Dispose() => _stdout.Dispose();
}
