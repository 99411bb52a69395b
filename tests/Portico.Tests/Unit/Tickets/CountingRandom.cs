namespace Portico.Tests.Unit.Tickets;

/// <summary>Predictable "randomness" so tests can provoke what a CSPRNG never does, such as a repeat.</summary>
internal sealed class CountingRandom
{
    private int _next;

    public Func<int, byte[]> Bytes => count =>
    {
        var bytes = new byte[count];
        BitConverter.GetBytes(Interlocked.Increment(ref _next)).CopyTo(bytes, 0);
        return bytes;
    };

    public static Func<int, byte[]> Constant(byte value) => count => Enumerable.Repeat(value, count).ToArray();
}
