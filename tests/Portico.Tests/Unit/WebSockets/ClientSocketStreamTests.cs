using Portico.Tests.Support;
using Portico.WebSockets;
using static Portico.Tests.Unit.WebSockets.WebSocketFrameScannerTests;

namespace Portico.Tests.Unit.WebSockets;

public sealed class ClientSocketStreamTests
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(10);
    private static readonly byte[] Ping = [0x89, 0x00];

    private readonly ManualTimeProvider _time = new();
    private readonly RecordingStream _client = new();
    private int _activity;

    private ClientSocketStream NewStream(TimeSpan keepAlive) =>
        new(_client, _time, keepAlive, TimeSpan.FromSeconds(5), () => Interlocked.Increment(ref _activity));

    [Fact]
    public async Task QuietForTheKeepAliveInterval_SendsOnePingToTheClient()
    {
        await using var stream = NewStream(KeepAlive);

        _time.Advance(TimeSpan.FromSeconds(5));
        _time.Advance(TimeSpan.FromSeconds(5));
        await Eventually.TrueAsync(() => _client.Written.Length > 0, TimeSpan.FromSeconds(5), "a ping");

        Assert.Equal(Ping, _client.Written);
    }

    [Fact]
    public async Task TrafficWithinTheInterval_SendsNoPing()
    {
        await using var stream = NewStream(KeepAlive);
        var frame = Frame(0x1, 3);

        for (var i = 0; i < 6; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(5));
            await stream.WriteAsync(frame);
        }

        await Task.Delay(50);
        Assert.Equal(6 * frame.Length, _client.Written.Length);
    }

    [Fact]
    public async Task QuietInTheMiddleOfAFrame_WaitsForTheBoundary()
    {
        await using var stream = NewStream(KeepAlive);
        var frame = Frame(0x2, 100);
        await stream.WriteAsync(frame.AsMemory(0, 20));

        _time.Advance(TimeSpan.FromSeconds(15));
        _time.Advance(TimeSpan.FromSeconds(5));
        await Task.Delay(50);
        Assert.Equal(20, _client.Written.Length);

        await stream.WriteAsync(frame.AsMemory(20));
        _time.Advance(TimeSpan.FromSeconds(15));
        await Eventually.TrueAsync(() => _client.Written.Length == frame.Length + 2, TimeSpan.FromSeconds(5), "a ping after the frame");
        Assert.Equal(Ping, _client.Written[^2..]);
    }

    [Fact]
    public async Task KeepAliveOff_NeverPings()
    {
        await using var stream = NewStream(TimeSpan.Zero);

        _time.Advance(TimeSpan.FromMinutes(10));
        await Task.Delay(50);

        Assert.Empty(_client.Written);
    }

    [Fact]
    public async Task DataFramesEitherWay_AreUserActivity_PingsAndPongsAreNot()
    {
        await using var stream = NewStream(KeepAlive);

        await stream.WriteAsync(Frame(0x9, 0));
        _client.Incoming.Enqueue(Frame(0xA, 0, masked: true));
        _ = await stream.ReadAsync(new byte[64]);
        Assert.Equal(0, _activity);

        _time.Advance(TimeSpan.FromSeconds(6));
        await stream.WriteAsync(Frame(0x1, 10));
        Assert.Equal(1, _activity);

        _time.Advance(TimeSpan.FromSeconds(6));
        _client.Incoming.Enqueue(Frame(0x1, 10, masked: true));
        _ = await stream.ReadAsync(new byte[64]);
        Assert.Equal(2, _activity);
    }

    /// <summary>The client side: records what is written to it, hands out queued bytes to reads.</summary>
    private sealed class RecordingStream : Stream
    {
        private readonly MemoryStream _written = new();

        public Queue<byte[]> Incoming { get; } = new();

        public byte[] Written
        {
            get
            {
                lock (_written)
                {
                    return _written.ToArray();
                }
            }
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var next = Incoming.Dequeue();
            next.CopyTo(buffer, offset);
            return next.Length;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var next = Incoming.Dequeue();
            next.CopyTo(buffer);
            return ValueTask.FromResult(next.Length);
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            lock (_written)
            {
                _written.Write(buffer, offset, count);
            }
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            lock (_written)
            {
                _written.Write(buffer.Span);
            }

            return ValueTask.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
