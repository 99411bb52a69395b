using System.Threading.Channels;
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
        _client.Receive(Frame(0xA, 0, masked: true));
        _ = await stream.ReadAsync(new byte[64]);
        Assert.Equal(0, _activity);

        _time.Advance(TimeSpan.FromSeconds(6));
        await stream.WriteAsync(Frame(0x1, 10));
        Assert.Equal(1, _activity);

        _time.Advance(TimeSpan.FromSeconds(6));
        _client.Receive(Frame(0x1, 10, masked: true));
        _ = await stream.ReadAsync(new byte[64]);
        Assert.Equal(2, _activity);
    }

    [Fact]
    public async Task Opening_IsWrittenBeforeAnythingOfTheEngine()
    {
        await using var stream = NewStream(KeepAlive);
        var opening = ServerFrames.Text("{}"u8);

        await stream.WriteOpeningAsync(opening, CancellationToken.None);
        await stream.WriteAsync(Frame(0x1, 3));

        Assert.Equal([.. opening, .. Frame(0x1, 3)], _client.Written);
    }

    [Fact]
    public async Task EndAtAMessageBoundary_WritesTheLastFramesAtOnce_AndDropsTheEnginesOutputAfterThem()
    {
        await using var stream = NewStream(KeepAlive);
        await stream.WriteAsync(Frame(0x1, 3));
        byte[] last = [.. ServerFrames.Text("{}"u8), .. ServerFrames.Close(1000, "bye")];

        Assert.True(await stream.EndWithAsync(last, CancellationToken.None));
        await stream.WriteAsync(Frame(0x1, 5));

        Assert.Equal([.. Frame(0x1, 3), .. last], _client.Written);
        Assert.False(await stream.EndWithAsync(last, CancellationToken.None));
    }

    [Fact]
    public async Task EndInTheMiddleOfAFragmentedMessage_WaitsForItsLastFragment_ThenDropsTheRestOfThatWrite()
    {
        await using var stream = NewStream(KeepAlive);
        var firstFragment = Frame(0x1, 4);
        firstFragment[0] = 0x01; // text, FIN clear: more fragments follow
        await stream.WriteAsync(firstFragment);
        var last = ServerFrames.Close(1000, "bye");

        var ending = stream.EndWithAsync(last, CancellationToken.None);
        await Task.Delay(20);
        Assert.False(ending.IsCompleted);

        // A control frame inside the message is no place for a data frame; the final fragment is.
        var ping = Frame(0x9, 0);
        await stream.WriteAsync(ping);
        Assert.False(ending.IsCompleted);
        var finalFragment = Frame(0x0, 6);
        await stream.WriteAsync((byte[])[.. finalFragment, .. Frame(0x1, 2)]);

        Assert.True(await ending);
        Assert.Equal([.. firstFragment, .. ping, .. finalFragment, .. last], _client.Written);
    }

    [Fact]
    public async Task AfterTheEnd_AWaitingReadHandsTheEngineAMaskedCloseFrame_ThenTheDirectionEnds()
    {
        await using var stream = NewStream(KeepAlive);
        var buffer = new byte[64];
        var waiting = stream.ReadAsync(buffer).AsTask();

        await stream.EndWithAsync(ServerFrames.Close(1000, "bye"), CancellationToken.None);

        var read = await waiting;
        Assert.Equal([0x88, 0x82, 0, 0, 0, 0, 0x03, 0xE9], buffer[..read]);
        Assert.Equal(0, await stream.ReadAsync(buffer));
    }

    [Fact]
    public async Task AfterTheEnd_AWaitingZeroByteReadReturns_AndTheNextReadGetsTheCloseFrame()
    {
        await using var stream = NewStream(KeepAlive);
        var waiting = stream.ReadAsync(Memory<byte>.Empty).AsTask();

        await stream.EndWithAsync(ServerFrames.Close(1000, "bye"), CancellationToken.None);

        Assert.Equal(0, await waiting);
        var buffer = new byte[64];
        Assert.Equal(8, await stream.ReadAsync(buffer));
        Assert.Equal(0, await stream.ReadAsync(buffer));
    }

    [Fact]
    public async Task ClientClosedFirst_TheEndAddsNoCloseFrameOfItsOwn()
    {
        await using var stream = NewStream(KeepAlive);
        var clientClose = Frame(0x8, 2, masked: true);
        _client.Receive(clientClose);
        var buffer = new byte[64];
        Assert.Equal(clientClose.Length, await stream.ReadAsync(buffer));

        await stream.EndWithAsync(ServerFrames.Close(1000, "bye"), CancellationToken.None);

        Assert.Equal(0, await stream.ReadAsync(buffer));
    }

    /// <summary>The client side: records what is written to it, hands out queued bytes to reads.</summary>
    private sealed class RecordingStream : Stream
    {
        private readonly MemoryStream _written = new();

        private readonly Channel<byte[]> _incoming = Channel.CreateUnbounded<byte[]>();

        /// <summary>Bytes the client sends: the next read returns them.</summary>
        public void Receive(byte[] bytes) => _incoming.Writer.TryWrite(bytes);

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

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        /// <summary>Waits for what the client sends, as a network stream does; a zero-byte read only waits.</summary>
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (buffer.IsEmpty)
            {
                await _incoming.Reader.WaitToReadAsync(cancellationToken);
                return 0;
            }

            var next = await _incoming.Reader.ReadAsync(cancellationToken);
            next.CopyTo(buffer);
            return next.Length;
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
