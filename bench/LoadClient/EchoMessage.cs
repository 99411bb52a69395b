using System.Net.WebSockets;

namespace Portico.Bench.LoadClient;

/// <summary>One round trip: a text message out, the whole echo back (however many frames it takes).</summary>
internal static class EchoMessage
{
    public static byte[] Payload(int bytes) => Enumerable.Repeat((byte)'x', bytes).ToArray();

    public static async Task RoundTripAsync(ClientWebSocket socket, ReadOnlyMemory<byte> payload, Memory<byte> receiveBuffer, CancellationToken cancellationToken)
    {
        await socket.SendAsync(payload, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        var received = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(receiveBuffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new WebSocketException($"closed by the server ({socket.CloseStatus} {socket.CloseStatusDescription})");
            }

            received += result.Count;
        }
        while (!result.EndOfMessage);

        if (received != payload.Length)
        {
            throw new InvalidDataException($"echo of {received} bytes for a message of {payload.Length}");
        }
    }
}
