using System.Net.WebSockets;

namespace Portico.Bench.LoadClient;

/// <summary>One round trip: a text message out, the whole echo back (however many frames it takes).</summary>
internal static class EchoMessage
{
    public static byte[] Payload(int bytes) => Enumerable.Repeat((byte)'x', bytes).ToArray();

    public static async Task RoundTripAsync(ClientWebSocket socket, ReadOnlyMemory<byte> payload, Memory<byte> receiveBuffer, CancellationToken cancellationToken)
    {
        await socket.SendAsync(payload, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        int received;
        do
        {
            received = await ReceiveMessageAsync(socket, receiveBuffer, cancellationToken);
        }
        while (received < 0);

        if (received != payload.Length)
        {
            throw new InvalidDataException($"echo of {received} bytes for a message of {payload.Length}");
        }
    }

    /// <summary>
    /// One whole message's length; -1 for a JSON-RPC notification (Portico's opening
    /// OnAuthenticationInformation, which every socket through it gets first, as from Qlik's proxy):
    /// the payload is all 'x', so a message that starts with '{' is never the echo.
    /// </summary>
    private static async Task<int> ReceiveMessageAsync(ClientWebSocket socket, Memory<byte> receiveBuffer, CancellationToken cancellationToken)
    {
        var received = 0;
        var notification = false;
        ValueWebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(receiveBuffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new WebSocketException($"closed by the server ({socket.CloseStatus} {socket.CloseStatusDescription})");
            }

            notification |= received == 0 && result.Count > 0 && receiveBuffer.Span[0] == (byte)'{';
            received += result.Count;
        }
        while (!result.EndOfMessage);

        return notification ? -1 : received;
    }
}
