using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace Portico.Bench.Shared;

/// <summary>
/// Makes a .NET process run a full, blocking garbage collection from outside, as dotnet-gcdump
/// does: through the runtime's diagnostic port, an EventPipe session that enables the runtime
/// provider's GCHeapCollect keyword. Its resident memory then reflects what it keeps alive rather
/// than how much garbage its last runs left. Processes without a diagnostic port (nginx, HAProxy)
/// are left alone.
/// </summary>
internal static class InducedGc
{
    private const string RuntimeProvider = "Microsoft-Windows-DotNETRuntime";
    private const ulong GcHeapCollectKeyword = 0x800000;
    private const uint InformationalLevel = 4;
    private const byte EventPipeCommands = 0x02;
    private const byte StopTracing = 0x01;
    private const byte CollectTracing2 = 0x03;
    private const byte ServerResponses = 0xFF;

    /// <returns>How many of the processes collected.</returns>
    public static int Collect(IEnumerable<int> pids) => pids.Count(Collect);

    public static bool Collect(int pid)
    {
        if (PortOf(pid) is not { } port)
        {
            return false;
        }

        try
        {
            using var session = Connect(port);
            // The runtime collects while it enables the session, before it answers.
            var sessionId = Send(session, EventPipeCommands, CollectTracing2, StartPayload());
            var drain = DrainAsync(session);
            using var stop = Connect(port);
            Send(stop, EventPipeCommands, StopTracing, BitConverter.GetBytes(sessionId));
            drain.Wait(TimeSpan.FromSeconds(5));
            return true;
        }
        catch (Exception ex) when (ex is SocketException or IOException or InvalidDataException)
        {
            Console.Error.WriteLine($"InducedGc: process {pid}: {ex.Message}");
            return false;
        }
    }

    private static string? PortOf(int pid)
    {
        var directory = Environment.GetEnvironmentVariable("TMPDIR") is { Length: > 0 } tmp ? tmp : "/tmp";
        return Directory.EnumerateFiles(directory, $"dotnet-diagnostic-{pid}-*-socket").FirstOrDefault();
    }

    private static Socket Connect(string port)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { ReceiveTimeout = 30_000, SendTimeout = 30_000 };
        socket.Connect(new UnixDomainSocketEndPoint(port));
        return socket;
    }

    /// <summary>Circular buffer (MB), format (NetTrace), no rundown, one provider with its keyword and level.</summary>
    private static byte[] StartPayload()
    {
        var payload = new List<byte>();
        payload.AddRange(BitConverter.GetBytes(1u));
        payload.AddRange(BitConverter.GetBytes(1u));
        payload.Add(0);
        payload.AddRange(BitConverter.GetBytes(1u));
        payload.AddRange(BitConverter.GetBytes(GcHeapCollectKeyword));
        payload.AddRange(BitConverter.GetBytes(InformationalLevel));
        payload.AddRange(IpcString(RuntimeProvider));
        payload.AddRange(IpcString(""));
        return [.. payload];
    }

    /// <summary>Length in UTF-16 code units with the terminating null (0 for none), then the characters.</summary>
    private static byte[] IpcString(string value) =>
        value.Length == 0 ? BitConverter.GetBytes(0u) : [.. BitConverter.GetBytes((uint)value.Length + 1), .. Encoding.Unicode.GetBytes(value + "\0")];

    /// <summary>Sends one command and reads the header of its answer; returns the 8-byte payload of an OK (a session id), if any.</summary>
    private static ulong Send(Socket socket, byte commandSet, byte command, byte[] payload)
    {
        var header = new byte[20];
        Encoding.ASCII.GetBytes("DOTNET_IPC_V1\0").CopyTo(header, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(14), (ushort)(header.Length + payload.Length));
        header[16] = commandSet;
        header[17] = command;
        socket.Send([.. header, .. payload]);

        var answer = Receive(socket, 20);
        var size = BinaryPrimitives.ReadUInt16LittleEndian(answer.AsSpan(14));
        var body = Receive(socket, size - 20);
        if (answer[16] != ServerResponses || answer[17] != 0)
        {
            var code = body.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(body) : 0;
            throw new InvalidDataException($"the diagnostic port refused the command (0x{code:X8})");
        }

        return body.Length >= 8 ? BinaryPrimitives.ReadUInt64LittleEndian(body) : 0;
    }

    private static byte[] Receive(Socket socket, int count)
    {
        var buffer = new byte[count];
        for (var read = 0; read < count;)
        {
            var n = socket.Receive(buffer, read, count - read, SocketFlags.None);
            if (n == 0)
            {
                throw new IOException("the diagnostic port closed the connection");
            }

            read += n;
        }

        return buffer;
    }

    /// <summary>The session's events are not needed, but the runtime must be able to write them until it stops.</summary>
    private static Task DrainAsync(Socket session) => Task.Run(() =>
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (session.Receive(buffer) > 0)
            {
            }
        }
        catch (SocketException)
        {
            // Closed by the runtime after StopTracing: done.
        }
    });
}
