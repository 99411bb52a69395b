namespace Portico.WebSockets;

/// <summary>
/// Follows the frames of one direction of a WebSocket (RFC 6455 5.2) as its bytes go by, reading
/// only frame headers and skipping payloads: where frames and messages begin and end, and whether a
/// frame carries data (text, binary, continuation) or is a control frame (close, ping, pong).
/// Portico needs all of it: keep-alive pings may only be written between two frames, its own
/// notifications only between two messages (a fragmented message may not be interrupted by a data
/// frame, 5.4), and pings and pongs are not a user's activity. Works with permessage-deflate too,
/// whose frames have the same headers.
/// </summary>
internal struct WebSocketFrameScanner
{
    private long _payloadLeft;
    private int _headerRead;
    private int _headerLength;
    private int _extendedLengthBytes;
    private ulong _length;
    private bool _isControl;
    private bool _isFinal;
    private bool _inFragmentedMessage;

    /// <summary>True between two frames: nothing of a frame has been seen that is not yet complete.</summary>
    public readonly bool AtFrameBoundary => _payloadLeft == 0 && _headerRead == 0;

    /// <summary>True between two messages: at a frame boundary, and no fragmented message is under way.</summary>
    public readonly bool AtMessageBoundary => AtFrameBoundary && !_inFragmentedMessage;

    /// <summary>True once the header of a close frame has gone by.</summary>
    public bool SawClose { readonly get; private set; }

    /// <summary>Follows <paramref name="bytes"/>, the next bytes of the direction.</summary>
    /// <returns>True when a data frame's header was completed among them.</returns>
    public bool Scan(ReadOnlySpan<byte> bytes)
    {
        Advance(bytes, stopAtMessageBoundary: false, out var sawData);
        return sawData;
    }

    /// <summary>
    /// Follows <paramref name="bytes"/> up to the first point between two messages after at least
    /// one byte, or all of them.
    /// </summary>
    /// <returns>How many bytes were followed: the rest of <paramref name="bytes"/> is after that point.</returns>
    public int ScanToMessageBoundary(ReadOnlySpan<byte> bytes) => Advance(bytes, stopAtMessageBoundary: true, out _);

    private int Advance(ReadOnlySpan<byte> bytes, bool stopAtMessageBoundary, out bool sawData)
    {
        sawData = false;
        var i = 0;
        while (i < bytes.Length)
        {
            if (_payloadLeft > 0)
            {
                var skipped = (int)Math.Min(_payloadLeft, bytes.Length - i);
                _payloadLeft -= skipped;
                i += skipped;
                if (stopAtMessageBoundary && AtMessageBoundary)
                {
                    return i;
                }

                continue;
            }

            var b = bytes[i++];
            switch (_headerRead)
            {
                case 0:
                    // Opcodes 0x8 and above are control frames; FIN is the first bit.
                    _isControl = (b & 0x08) != 0;
                    _isFinal = (b & 0x80) != 0;
                    SawClose |= (b & 0x0F) == 0x08;
                    _headerRead = 1;
                    continue;
                case 1:
                    var length7 = b & 0x7F;
                    _extendedLengthBytes = length7 switch { 126 => 2, 127 => 8, _ => 0 };
                    _length = length7 < 126 ? (ulong)length7 : 0;
                    _headerLength = 2 + _extendedLengthBytes + ((b & 0x80) != 0 ? 4 : 0);
                    _headerRead = 2;
                    break;
                default:
                    if (_headerRead < 2 + _extendedLengthBytes)
                    {
                        _length = (_length << 8) | b;
                    }

                    _headerRead++;
                    break;
            }

            if (_headerRead == _headerLength)
            {
                // A length with the most significant bit set is invalid (5.2); the peer fails the
                // connection anyway, and the scanner only has to stay bounded until then.
                _payloadLeft = (long)Math.Min(_length, long.MaxValue);
                _headerRead = 0;
                if (!_isControl)
                {
                    sawData = true;
                    _inFragmentedMessage = !_isFinal;
                }

                if (stopAtMessageBoundary && AtMessageBoundary)
                {
                    return i;
                }
            }
        }

        return i;
    }
}
