using System.Net;
using System.Net.Sockets;

namespace Portico.Authentication.Header;

/// <summary>
/// Whether a list of trusted networks leaves any address out. "0.0.0.0/0" or "::/0" (or ranges
/// that add up to them) make header authentication believe every sender, which is what the list
/// was there to prevent.
/// </summary>
internal static class TrustedNetworkCoverage
{
    /// <summary>The IPv4 space as <see cref="TrustedNetworks.Contains"/> sees it: the IPv4-mapped block ::ffff:0:0/96.</summary>
    private static readonly (UInt128 First, UInt128 Last) Ipv4Space = ((UInt128)0xFFFF << 32, ((UInt128)0xFFFF << 32) | uint.MaxValue);

    /// <summary>What the networks trust in full: every address, every IPv4 address, or neither (null).</summary>
    public static string? TrustsAll(IReadOnlyList<IPNetwork> networks)
    {
        // TrustedNetworks.Contains matches an IPv4 address against IPv6 ranges in its mapped form and
        // the other way round, so both families are measured in one 128-bit space.
        var ranges = networks.Select(ToRange).OrderBy(r => r.First).ToList();
        if (Covers(ranges, UInt128.Zero, UInt128.MaxValue))
        {
            return "every address";
        }

        return Covers(ranges, Ipv4Space.First, Ipv4Space.Last) ? "every IPv4 address" : null;
    }

    private static (UInt128 First, UInt128 Last) ToRange(IPNetwork network)
    {
        var address = network.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? network.BaseAddress.MapToIPv6() : network.BaseAddress;
        var prefixLength = network.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? network.PrefixLength + 96 : network.PrefixLength;
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        var first = System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(bytes);
        var hostBits = prefixLength == 0 ? UInt128.MaxValue : (UInt128.One << (128 - prefixLength)) - 1;
        return (first, first | hostBits);
    }

    /// <param name="ranges">Sorted by their first address.</param>
    private static bool Covers(List<(UInt128 First, UInt128 Last)> ranges, UInt128 from, UInt128 to)
    {
        var next = from;
        foreach (var (first, last) in ranges)
        {
            if (last < next)
            {
                continue;
            }

            if (first > next)
            {
                return false;
            }

            if (last >= to)
            {
                return true;
            }

            next = last + 1;
        }

        return false;
    }
}
