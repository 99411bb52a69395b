using Portico.WebSockets;

namespace Portico.Logging;

/// <summary>
/// What the access log learns about one WebSocket: when it opened, the bytes sent to the client,
/// which side's close frame came first, and whether Portico closed it. It stands in for the
/// request's upgrade feature (HTTP/1.1) or extended CONNECT feature (HTTP/2), so it sees the
/// client's stream whoever opens the socket: the forwarder's tunnel or Portico's own answer.
/// Portico's closers mark it through <see cref="ClosedByPortico"/>.
/// </summary>
internal sealed class SocketAccessRecord : IHttpUpgradeFeature, IHttpExtendedConnectFeature
{
    private readonly IHttpUpgradeFeature? _upgrade;
    private readonly IHttpExtendedConnectFeature? _connect;
    private readonly TimeProvider _time;
    private string? _porticoReason;
    private long _bytesToClient;
    private int _firstClose;

    private SocketAccessRecord(IHttpUpgradeFeature? upgrade, IHttpExtendedConnectFeature? connect, TimeProvider time)
    {
        _upgrade = upgrade;
        _connect = connect;
        _time = time;
    }

    /// <summary>When the socket opened (a <see cref="TimeProvider"/> timestamp); 0 until it has.</summary>
    public long OpenedAt { get; private set; }

    public bool Opened => OpenedAt != 0;

    public long BytesToClient => Interlocked.Read(ref _bytesToClient);

    public CloseFrameDirection FirstClose => (CloseFrameDirection)Volatile.Read(ref _firstClose);

    /// <summary>The close reason Portico gave, when Portico closed the socket.</summary>
    public string? PorticoReason => Volatile.Read(ref _porticoReason);

    /// <summary>Wraps the request's upgrade feature, when it has one that can upgrade.</summary>
    public static SocketAccessRecord? Install(HttpContext context, TimeProvider time)
    {
        SocketAccessRecord record;
        if (context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade)
        {
            record = new SocketAccessRecord(upgrade, null, time);
            context.Features.Set<IHttpUpgradeFeature>(record);
        }
        else if (context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true } connect)
        {
            record = new SocketAccessRecord(null, connect, time);
            context.Features.Set<IHttpExtendedConnectFeature>(record);
        }
        else
        {
            return null;
        }

        context.Features.Set(record);
        return record;
    }

    public static SocketAccessRecord? Find(HttpContext context) => context.Features.Get<SocketAccessRecord>();

    /// <summary>Portico is ending this socket (or answering it and closing): called before its close frame goes out.</summary>
    public void ClosedByPortico(string reason) => Interlocked.CompareExchange(ref _porticoReason, reason, null);

    bool IHttpUpgradeFeature.IsUpgradableRequest => _upgrade?.IsUpgradableRequest ?? false;

    async Task<Stream> IHttpUpgradeFeature.UpgradeAsync() =>
        Open(await (_upgrade ?? throw new InvalidOperationException("Not an HTTP/1.1 upgrade.")).UpgradeAsync());

    bool IHttpExtendedConnectFeature.IsExtendedConnect => _connect?.IsExtendedConnect ?? false;

    string? IHttpExtendedConnectFeature.Protocol => _connect?.Protocol;

    async ValueTask<Stream> IHttpExtendedConnectFeature.AcceptAsync() =>
        Open(await (_connect ?? throw new InvalidOperationException("Not an extended CONNECT.")).AcceptAsync());

    private ObservedSocketStream Open(Stream client)
    {
        OpenedAt = _time.GetTimestamp();
        return new ObservedSocketStream(client, this);
    }

    private void SawClose(CloseFrameDirection direction) => Interlocked.CompareExchange(ref _firstClose, (int)direction, (int)CloseFrameDirection.None);

    /// <summary>
    /// The client's side of the socket, as it goes by: bytes written to the client, and the first
    /// close frame either way (frame headers only, <see cref="WebSocketFrameScanner"/>).
    /// </summary>
    private sealed class ObservedSocketStream(Stream inner, SocketAccessRecord record) : Stream
    {
        private WebSocketFrameScanner _toClient;
        private WebSocketFrameScanner _fromClient;

        public override bool CanRead => inner.CanRead;

        public override bool CanSeek => false;

        public override bool CanWrite => inner.CanWrite;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            ObserveFromClient(buffer.Span[..read]);
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, count);
            ObserveFromClient(buffer.AsSpan(offset, read));
            return read;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            ObserveToClient(buffer.Span);
            return inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count)
        {
            ObserveToClient(buffer.AsSpan(offset, count));
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

        // Reads come from one loop and writes from another (each in order), so each scanner has one user.
        private void ObserveFromClient(ReadOnlySpan<byte> bytes)
        {
            if (!_fromClient.SawClose && !bytes.IsEmpty)
            {
                _fromClient.Scan(bytes);
                if (_fromClient.SawClose)
                {
                    record.SawClose(CloseFrameDirection.FromClient);
                }
            }
        }

        private void ObserveToClient(ReadOnlySpan<byte> bytes)
        {
            Interlocked.Add(ref record._bytesToClient, bytes.Length);
            if (!_toClient.SawClose && !bytes.IsEmpty)
            {
                _toClient.Scan(bytes);
                if (_toClient.SawClose)
                {
                    record.SawClose(CloseFrameDirection.ToClient);
                }
            }
        }
    }
}
