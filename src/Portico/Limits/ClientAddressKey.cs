using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Portico.Limits;

/// <summary>
/// What counts as one client for the per-client limits: an IPv4 address, or an IPv6 /64 — the block
/// a single subscriber or host is usually given, so one machine cannot dodge a limit by rotating
/// through the addresses of its own block. IPv4-mapped IPv6 addresses count as their IPv4 address.
/// </summary>
internal readonly record struct ClientAddressKey(ulong Bits, bool IsIPv6)
{
    /// <summary>The key of a request without a remote address (in-process hosts): all such requests share one.</summary>
    public static ClientAddressKey Unknown { get; } = new(0, false);

    public static ClientAddressKey Of(IPAddress? address)
    {
        if (address is null)
        {
            return Unknown;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written))
        {
            return Unknown;
        }

        return address.AddressFamily == AddressFamily.InterNetworkV6 && written == 16
            ? new ClientAddressKey(BinaryPrimitives.ReadUInt64BigEndian(bytes[..8]), IsIPv6: true)
            : new ClientAddressKey(BinaryPrimitives.ReadUInt32BigEndian(bytes[..4]), IsIPv6: false);
    }
}
