namespace Portico.Sessions;

/// <summary>
/// Wraps the client side of a tunnelled WebSocket so that traffic keeps the session alive. It only
/// compares a timestamp per read or write and signals at most once per <see cref="SessionManager.TouchInterval"/>.
/// </summary>
internal sealed class SessionActivityStream(Stream inner, TimeProvider time, Action onActivity) : Stream
{
    private readonly long _intervalTicks = (long)(SessionManager.TouchInterval.TotalSeconds * time.TimestampFrequency);
    private long _lastSignal = time.GetTimestamp();

    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    // Activity is signalled when a read or write is issued rather than when it completes: a read is
    // issued right after the previous one completed, so the difference is one message, and the
    // inner ValueTask is handed back as it is, without a state machine per call.
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Signal();
        return inner.ReadAsync(buffer, cancellationToken);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Signal();
        return inner.WriteAsync(buffer, cancellationToken);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Signal();
        return inner.ReadAsync(buffer, offset, count, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Signal();
        return inner.WriteAsync(buffer, offset, count, cancellationToken);
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        Signal();
        return inner.Read(buffer, offset, count);
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        Signal();
        inner.Write(buffer, offset, count);
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Signal()
    {
        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref _lastSignal);
        if (now - last >= _intervalTicks && Interlocked.CompareExchange(ref _lastSignal, now, last) == last)
        {
            onActivity();
        }
    }
}
