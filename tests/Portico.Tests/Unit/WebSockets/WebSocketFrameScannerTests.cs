using Portico.WebSockets;

namespace Portico.Tests.Unit.WebSockets;

public sealed class WebSocketFrameScannerTests
{
    /// <summary>A frame as RFC 6455 5.2 lays it out, with a mask when it goes from client to server.</summary>
    internal static byte[] Frame(byte opcode, int payloadLength, bool masked = false)
    {
        var header = new List<byte> { (byte)(0x80 | opcode) };
        var maskBit = masked ? 0x80 : 0;
        if (payloadLength < 126)
        {
            header.Add((byte)(maskBit | payloadLength));
        }
        else if (payloadLength <= ushort.MaxValue)
        {
            header.Add((byte)(maskBit | 126));
            header.Add((byte)(payloadLength >> 8));
            header.Add((byte)payloadLength);
        }
        else
        {
            header.Add((byte)(maskBit | 127));
            for (var shift = 56; shift >= 0; shift -= 8)
            {
                header.Add((byte)((long)payloadLength >> shift));
            }
        }

        if (masked)
        {
            header.AddRange([1, 2, 3, 4]);
        }

        return [.. header, .. new byte[payloadLength]];
    }

    [Theory]
    [InlineData(0x1, true)]
    [InlineData(0x2, true)]
    [InlineData(0x0, true)]
    [InlineData(0x8, false)]
    [InlineData(0x9, false)]
    [InlineData(0xA, false)]
    public void Scan_WholeFrame_TellsDataFromControlAndEndsAtABoundary(byte opcode, bool isData)
    {
        var scanner = new WebSocketFrameScanner();

        Assert.Equal(isData, scanner.Scan(Frame(opcode, 5)));
        Assert.True(scanner.AtFrameBoundary);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(125, false)]
    [InlineData(126, false)]
    [InlineData(65_535, true)]
    [InlineData(65_536, true)]
    [InlineData(70_000, false)]
    public void Scan_ByteByByte_FindsTheBoundaryOnlyAfterTheWholePayload(int payloadLength, bool masked)
    {
        var scanner = new WebSocketFrameScanner();
        var frame = Frame(0x2, payloadLength, masked);
        var sawData = false;

        for (var i = 0; i < frame.Length; i++)
        {
            Assert.Equal(i == 0, scanner.AtFrameBoundary);
            sawData |= scanner.Scan(frame.AsSpan(i, 1));
        }

        Assert.True(sawData);
        Assert.True(scanner.AtFrameBoundary);
    }

    [Fact]
    public void Scan_SeveralFramesInOneBuffer_FollowsEachOne()
    {
        var scanner = new WebSocketFrameScanner();
        byte[] bytes = [.. Frame(0x9, 0), .. Frame(0xA, 3), .. Frame(0x1, 300, masked: true)];

        Assert.True(scanner.Scan(bytes.AsSpan(0, bytes.Length - 10)));
        Assert.False(scanner.AtFrameBoundary);
        Assert.False(scanner.Scan(bytes.AsSpan(bytes.Length - 10)));
        Assert.True(scanner.AtFrameBoundary);
    }

    [Fact]
    public void Scan_OnlyControlFrames_IsNoActivity()
    {
        var scanner = new WebSocketFrameScanner();

        Assert.False(scanner.Scan([.. Frame(0x9, 0), .. Frame(0xA, 0, masked: true), .. Frame(0xA, 125)]));
    }

    [Fact]
    public void Scan_FragmentedMessage_IsAtAMessageBoundaryOnlyAfterItsFinalFragment()
    {
        var scanner = new WebSocketFrameScanner();
        var first = Frame(0x1, 4);
        first[0] = 0x01; // FIN clear
        var middle = Frame(0x0, 4);
        middle[0] = 0x00;

        scanner.Scan(first);
        Assert.True(scanner.AtFrameBoundary);
        Assert.False(scanner.AtMessageBoundary);
        scanner.Scan([.. Frame(0x9, 0), .. middle]);
        Assert.False(scanner.AtMessageBoundary);
        scanner.Scan(Frame(0x0, 4));
        Assert.True(scanner.AtMessageBoundary);
    }

    [Fact]
    public void ScanToMessageBoundary_StopsAfterTheMessageUnderWay()
    {
        var scanner = new WebSocketFrameScanner();
        var message = Frame(0x2, 300);
        scanner.Scan(message.AsSpan(0, 10));

        byte[] rest = [.. message.AsSpan(10), .. Frame(0x1, 5)];
        Assert.Equal(message.Length - 10, scanner.ScanToMessageBoundary(rest));
        Assert.True(scanner.AtMessageBoundary);
    }

    [Fact]
    public void ScanToMessageBoundary_AnEmptyFrameEndsTheMessageWithItsHeader()
    {
        var scanner = new WebSocketFrameScanner();
        var first = Frame(0x1, 2);
        first[0] = 0x01;
        scanner.Scan(first);

        byte[] rest = [.. Frame(0x0, 0), .. Frame(0x1, 5)];
        Assert.Equal(2, scanner.ScanToMessageBoundary(rest));
        Assert.True(scanner.AtMessageBoundary);
    }

    [Fact]
    public void SawClose_OnlyOnceACloseFrameWentBy()
    {
        var scanner = new WebSocketFrameScanner();
        scanner.Scan([.. Frame(0x1, 3, masked: true), .. Frame(0x9, 0, masked: true)]);
        Assert.False(scanner.SawClose);

        scanner.Scan(Frame(0x8, 2, masked: true));
        Assert.True(scanner.SawClose);
    }
}
