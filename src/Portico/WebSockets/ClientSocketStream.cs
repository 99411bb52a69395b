using System.Runtime.CompilerServices;

namespace Portico.WebSockets;

/// <summary>
/// The client side of a WebSocket that Portico tunnels to an engine. It follows the frames going
/// each way (<see cref="WebSocketFrameScanner"/>) to tell the session about the user's activity —
/// data frames only, so keep-alive traffic never keeps a session alive — and, when the socket has
/// been quiet for the keep-alive interval, writes a ping to the client between two frames. A live
/// client answers with a pong, which travels on to the engine (RFC 6455 5.5.3: an unsolicited pong
/// is ignored) and counts as traffic for the forwarder's idle timeout, so a quiet socket lives as
/// long as its client does; a client that is gone stops answering and the idle timeout ends it.
/// Portico's own notifications go in between two messages: one when the socket opens, and the last
/// one with a close frame when Portico ends the socket, after which the engine's frames are dropped
/// (nothing may follow a close frame) and, once the client's close frame has passed on to the
/// engine, the tunnel ends. See docs/architecture.md, "Long-lived WebSockets" and "Socket notifications".
/// </summary>
internal sealed class ClientSocketStream : Stream
{
    /// <summary>FIN + ping, no mask (server to client), no payload.</summary>
    private static readonly ReadOnlyMemory<byte> PingFrame = new byte[] { 0x89, 0x00 };

    /// <summary>FIN + close 1001 (going away), masked as client frames must be (RFC 6455 5.3; a zero key leaves the payload as it is).</summary>
    private static readonly ReadOnlyMemory<byte> EngineCloseFrame = new byte[] { 0x88, 0x82, 0x00, 0x00, 0x00, 0x00, 0x03, 0xE9 };

    private readonly Stream _inner;
    private readonly TimeProvider _time;
    private readonly Action _onUserActivity;
    private readonly long _activityIntervalTicks;
    private readonly long _keepAliveTicks;
    private readonly ITimer? _keepAlive;

    // Writes come from the forwarder's copy loop and from the keep-alive timer; the gate keeps a
    // ping from landing in the middle of a frame or beside a flush.
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private WebSocketFrameScanner _toClient;
    private WebSocketFrameScanner _fromClient;
    private long _lastTraffic;
    private long _lastActivitySignal;

    // Portico's last frames, waiting for the engine to finish a message; then, once written, the
    // engine's output is dropped. Both change under the write gate only.
    private byte[]? _pendingFinal;
    private TaskCompletionSource<bool>? _finalWritten;
    private volatile bool _ended;
    private volatile bool _readsEnded;
    private readonly CancellationTokenSource _endReads = new();
    private CancellationTokenSource? _readLink;
    private CancellationToken _readLinkFor;

    /// <param name="keepAlive">Quiet time after which a ping is sent; <see cref="TimeSpan.Zero"/> sends none.</param>
    /// <param name="onUserActivity">Called, at most once per <paramref name="activityInterval"/>, when a data frame passes either way.</param>
    public ClientSocketStream(Stream inner, TimeProvider time, TimeSpan keepAlive, TimeSpan activityInterval, Action onUserActivity)
    {
        _inner = inner;
        _time = time;
        _onUserActivity = onUserActivity;
        _activityIntervalTicks = (long)(activityInterval.TotalSeconds * time.TimestampFrequency);
        _keepAliveTicks = (long)(keepAlive.TotalSeconds * time.TimestampFrequency);
        _lastTraffic = time.GetTimestamp();
        _lastActivitySignal = _lastTraffic;
        if (keepAlive > TimeSpan.Zero)
        {
            // Checked twice per interval, so a ping goes out at most one and a half intervals after the last traffic.
            var check = keepAlive / 2;
            _keepAlive = time.CreateTimer(static state => ((ClientSocketStream)state!).PingIfQuiet(), this, check, check);
        }
    }

    /// <summary>No more pings: the tunnel is over.</summary>
    public void StopKeepAlive() => _keepAlive?.Dispose();

    public override bool CanRead => _inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => _inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_readsEnded)
        {
            return 0;
        }

        int read;
        try
        {
            read = await _inner.ReadAsync(buffer, ReadToken(cancellationToken));
        }
        catch (OperationCanceledException) when (_ended && !cancellationToken.IsCancellationRequested)
        {
            return EndClientDirection(buffer.Span);
        }

        Observe(ref _fromClient, buffer.Span[..read]);

        // The client has answered Portico's close frame, and its answer is on its way to the engine:
        // the next read ends the client's direction, and with it the tunnel.
        if (_ended && _fromClient.SawClose && _fromClient.AtFrameBoundary)
        {
            _readsEnded = true;
        }

        return read;
    }

    /// <summary>
    /// The forwarder's token, and Portico's own once it has ended the socket: a read waiting for a
    /// client that has not answered yet must not hold the tunnel open. The forwarder reads with the
    /// same token all along, so the linked source is made once.
    /// </summary>
    private CancellationToken ReadToken(CancellationToken forwarder)
    {
        if (_readLink is null || _readLinkFor != forwarder)
        {
            _readLink?.Dispose();
            _readLink = CancellationTokenSource.CreateLinkedTokenSource(forwarder, _endReads.Token);
            _readLinkFor = forwarder;
        }

        return _readLink.Token;
    }

    /// <summary>
    /// Portico ended the socket while the client had not closed: the engine is handed a close frame
    /// in the client's name when that can go between two frames (so it ends its side cleanly), and
    /// the direction ends.
    /// </summary>
    private int EndClientDirection(Span<byte> buffer)
    {
        // The forwarder waits for data with a zero-byte read before it reads into a buffer.
        if (buffer.IsEmpty)
        {
            return 0;
        }

        _readsEnded = true;
        if (!_fromClient.AtFrameBoundary || _fromClient.SawClose || buffer.Length < EngineCloseFrame.Length)
        {
            return 0;
        }

        EngineCloseFrame.Span.CopyTo(buffer);
        return EngineCloseFrame.Length;
    }

    /// <summary>Writes Portico's first frame, before the engine's: called once, as the tunnel opens.</summary>
    public async Task WriteOpeningAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            await _inner.WriteAsync(frame, cancellationToken);
            await _inner.FlushAsync(cancellationToken);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>
    /// Writes Portico's last frames (a notification and a close frame) at the next message boundary
    /// of the engine's output, and drops the engine's output from then on.
    /// </summary>
    /// <returns>True once they are written; false when the tunnel had already ended.</returns>
    public async Task<bool> EndWithAsync(byte[] finalFrames, CancellationToken cancellationToken)
    {
        Task<bool> written;
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            if (_ended || _pendingFinal is not null)
            {
                return false;
            }

            if (_toClient.AtMessageBoundary)
            {
                await WriteFinalAsync(finalFrames, cancellationToken);
                return true;
            }

            _pendingFinal = finalFrames;
            _finalWritten = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            written = _finalWritten.Task;
        }
        finally
        {
            _writeGate.Release();
        }

        return await written.WaitAsync(cancellationToken);
    }

    private async Task WriteFinalAsync(byte[] finalFrames, CancellationToken cancellationToken)
    {
        _ended = true;
        StopKeepAlive();
        await _inner.WriteAsync(finalFrames, cancellationToken);
        await _inner.FlushAsync(cancellationToken);
        await _endReads.CancelAsync();
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            if (_ended)
            {
                // Portico's close frame has gone out; nothing may follow it (RFC 6455 5.5.1).
                return;
            }

            if (_pendingFinal is { } final)
            {
                await WriteUpToFinalAsync(buffer, final, cancellationToken);
                return;
            }

            Observe(ref _toClient, buffer.Span);
            await _inner.WriteAsync(buffer, cancellationToken);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>The engine's bytes up to the end of the message under way, then Portico's last frames.</summary>
    private async ValueTask WriteUpToFinalAsync(ReadOnlyMemory<byte> buffer, byte[] final, CancellationToken cancellationToken)
    {
        var upToBoundary = _toClient.ScanToMessageBoundary(buffer.Span);
        await _inner.WriteAsync(buffer[..upToBoundary], cancellationToken);
        if (!_toClient.AtMessageBoundary)
        {
            return;
        }

        try
        {
            await WriteFinalAsync(final, cancellationToken);
            _finalWritten!.TrySetResult(true);
        }
        catch (Exception ex)
        {
            _finalWritten!.TrySetException(ex);
            throw;
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask FlushGatedAsync(CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            await _inner.FlushAsync(cancellationToken);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) => FlushGatedAsync(cancellationToken).AsTask();

    public override void Flush() => FlushGatedAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        if (_keepAlive is not null)
        {
            await _keepAlive.DisposeAsync();
        }

        _readLink?.Dispose();

        await _inner.DisposeAsync();
        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _keepAlive?.Dispose();
            _readLink?.Dispose();
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Observe(ref WebSocketFrameScanner scanner, ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        var now = _time.GetTimestamp();
        Volatile.Write(ref _lastTraffic, now);
        if (scanner.Scan(bytes))
        {
            var last = Interlocked.Read(ref _lastActivitySignal);
            if (now - last >= _activityIntervalTicks && Interlocked.CompareExchange(ref _lastActivitySignal, now, last) == last)
            {
                _onUserActivity();
            }
        }
    }

    private void PingIfQuiet()
    {
        if (_time.GetTimestamp() - Volatile.Read(ref _lastTraffic) < _keepAliveTicks || !_writeGate.Wait(0))
        {
            return;
        }

        // Only the holder of the gate changes the scanner, so this reading is exact; and after
        // Portico's close frame nothing more goes out.
        if (_ended || !_toClient.AtFrameBoundary)
        {
            _writeGate.Release();
            return;
        }

        _ = PingAsync();
    }

    private async Task PingAsync()
    {
        try
        {
            await _inner.WriteAsync(PingFrame);
            await _inner.FlushAsync();
            Volatile.Write(ref _lastTraffic, _time.GetTimestamp());
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            // The connection is going away; the forwarder sees it too and ends the tunnel.
        }
        finally
        {
            _writeGate.Release();
        }
    }
}
