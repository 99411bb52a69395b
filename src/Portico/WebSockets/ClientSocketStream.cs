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
/// See docs/architecture.md, "Long-lived WebSockets".
/// </summary>
internal sealed class ClientSocketStream : Stream
{
    /// <summary>FIN + ping, no mask (server to client), no payload.</summary>
    private static readonly ReadOnlyMemory<byte> PingFrame = new byte[] { 0x89, 0x00 };

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
        var read = await _inner.ReadAsync(buffer, cancellationToken);
        Observe(ref _fromClient, buffer.Span[..read]);
        return read;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            Observe(ref _toClient, buffer.Span);
            await _inner.WriteAsync(buffer, cancellationToken);
        }
        finally
        {
            _writeGate.Release();
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

        await _inner.DisposeAsync();
        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _keepAlive?.Dispose();
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

        // Only the holder of the gate changes the scanner, so this reading is exact.
        if (!_toClient.AtFrameBoundary)
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
