using System.Buffers.Binary;
using System.Text;

namespace Portico.WebSockets;

/// <summary>
/// Frames Portico writes to a client itself (RFC 6455 5.2: server to client, unmasked, one frame
/// per message). They are never compressed: with permessage-deflate an uncompressed message simply
/// leaves RSV1 clear (RFC 7692 6), so they fit into any tunnel at a message boundary.
/// </summary>
internal static class ServerFrames
{
    /// <summary>A close frame's reason is at most 123 bytes: a control frame's payload is at most 125 (5.5).</summary>
    public const int MaxCloseReasonBytes = 123;

    /// <summary>A whole text message in one frame.</summary>
    public static byte[] Text(ReadOnlySpan<byte> utf8)
    {
        var header = utf8.Length switch
        {
            < 126 => 2,
            <= ushort.MaxValue => 4,
            _ => 10,
        };
        var frame = new byte[header + utf8.Length];
        frame[0] = 0x81; // FIN + text
        switch (header)
        {
            case 2:
                frame[1] = (byte)utf8.Length;
                break;
            case 4:
                frame[1] = 126;
                BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)utf8.Length);
                break;
            default:
                frame[1] = 127;
                BinaryPrimitives.WriteUInt64BigEndian(frame.AsSpan(2), (ulong)utf8.Length);
                break;
        }

        utf8.CopyTo(frame.AsSpan(header));
        return frame;
    }

    /// <summary>A close frame with a status code and a reason (cut to <see cref="MaxCloseReasonBytes"/> on a character boundary).</summary>
    public static byte[] Close(ushort status, string reason)
    {
        var reasonBytes = Encoding.UTF8.GetBytes(reason);
        var length = reasonBytes.Length;
        if (length > MaxCloseReasonBytes)
        {
            // Back off to the start of a UTF-8 sequence, so the reason stays valid UTF-8 (5.5.1).
            length = MaxCloseReasonBytes;
            while (length > 0 && (reasonBytes[length] & 0xC0) == 0x80)
            {
                length--;
            }
        }

        var frame = new byte[4 + length];
        frame[0] = 0x88; // FIN + close
        frame[1] = (byte)(2 + length);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), status);
        reasonBytes.AsSpan(0, length).CopyTo(frame.AsSpan(4));
        return frame;
    }

    /// <summary>A notification followed by a close frame: what a client gets before Portico ends its socket.</summary>
    public static byte[] NotifyAndClose(ReadOnlySpan<byte> notification, ushort status, string reason) =>
        [.. Text(notification), .. Close(status, reason)];
}
