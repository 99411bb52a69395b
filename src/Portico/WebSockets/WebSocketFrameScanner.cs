namespace Portico.WebSockets;

/// <summary>
/// Follows the frames of one direction of a WebSocket (RFC 6455 5.2) as its bytes go by, reading
/// only frame headers and skipping payloads: where frames begin and end, and whether a frame
/// carries data (text, binary, continuation) or is a control frame (close, ping, pong). Portico
/// needs both: keep-alive pings may only be written between two frames, and pings and pongs are
/// not a user's activity. Works with permessage-deflate too, whose frames have the same headers.
/// </summary>
internal struct WebSocketFrameScanner
{
    private long _payloadLeft;
    private int _headerRead;
    private int _headerLength;
    private int _extendedLengthBytes;
    private ulong _length;
    private bool _isControl;

    /// <summary>True between two frames: nothing of a frame has been seen that is not yet complete.</summary>
    public readonly bool AtFrameBoundary => _payloadLeft == 0 && _headerRead == 0;

    /// <summary>Follows <paramref name="bytes"/>, the next bytes of the direction.</summary>
    /// <returns>True when a data frame's header was completed among them.</returns>
    public bool Scan(ReadOnlySpan<byte> bytes)
    {
        var sawData = false;
        var i = 0;
        while (i < bytes.Length)
        {
            if (_payloadLeft > 0)
            {
                var skipped = (int)Math.Min(_payloadLeft, bytes.Length - i);
                _payloadLeft -= skipped;
                i += skipped;
                continue;
            }

            var b = bytes[i++];
            switch (_headerRead)
            {
                case 0:
                    // Opcodes 0x8 and above are control frames.
                    _isControl = (b & 0x08) != 0;
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
                sawData |= !_isControl;
            }
        }

        return sawData;
    }
}
