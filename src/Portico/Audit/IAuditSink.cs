namespace Portico.Audit;

/// <summary>A destination of audit lines (a rotated file, standard output). Called by the writer only, one line at a time.</summary>
internal interface IAuditSink : IDisposable
{
    /// <param name="line">One JSON object and its terminating newline.</param>
    void Write(ReadOnlySpan<byte> line);

    /// <summary>Called after each batch, so what was written is on disk before the writer waits again.</summary>
    void Flush();
}
