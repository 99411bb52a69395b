using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Portico.Authentication.Header;

/// <summary>
/// The networks from which an authentication header is believed. Header authentication lets the
/// sender name any user, so only the SSO front end's addresses may use it.
/// </summary>
internal sealed class TrustedNetworks
{
    private readonly IPNetwork[] _networks;

    private TrustedNetworks(IPNetwork[] networks) => _networks = networks;

    public IReadOnlyList<IPNetwork> Networks => _networks;

    /// <summary>
    /// Parses CIDR ranges ("10.0.0.0/8", "2001:db8::/32") and single addresses ("10.1.2.3" = /32,
    /// "::1" = /128). Every entry is checked; null with all errors (each naming its index) when any is invalid.
    /// </summary>
    public static TrustedNetworks? TryParse(IReadOnlyList<string> entries, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var networks = new List<IPNetwork>(entries.Count);
        var found = new List<string>();
        for (var i = 0; i < entries.Count; i++)
        {
            var error = TryParseEntry(entries[i], out var network);
            if (error is null)
            {
                networks.Add(network);
            }
            else
            {
                found.Add($"[{i}] \"{entries[i]}\": {error}");
            }
        }

        errors = found;
        return found.Count == 0 ? new TrustedNetworks([.. networks]) : null;
    }

    /// <summary>True when <paramref name="address"/> lies in a trusted network, an IPv4-mapped IPv6 address counting as its IPv4 one.</summary>
    public bool Contains(IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }

        // Dual-stack sockets report IPv4 peers as ::ffff:a.b.c.d; both spellings must match the same ranges.
        var alternative = address.IsIPv4MappedToIPv6 ? address.MapToIPv4()
            : address.AddressFamily == AddressFamily.InterNetwork ? address.MapToIPv6()
            : null;

        foreach (var network in _networks)
        {
            if (network.Contains(address) || (alternative is not null && network.Contains(alternative)))
            {
                return true;
            }
        }

        return false;
    }

    private static string? TryParseEntry(string? entry, out IPNetwork network)
    {
        network = default;
        var text = entry?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return "empty entry; use an address (10.1.2.3) or a CIDR range (10.0.0.0/8)";
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        var address = ParseAddress(addressText);
        if (address is null)
        {
            return $"\"{addressText}\" is not an IPv4 address in dotted-decimal form or an IPv6 address";
        }

        var maxLength = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefixLength = maxLength;
        if (slash >= 0)
        {
            var lengthText = text[(slash + 1)..];
            if (!IsPlainNumber(lengthText)
                || !int.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out prefixLength)
                || prefixLength > maxLength)
            {
                return $"the prefix length must be a number from 0 to {maxLength}";
            }
        }

        // "10.0.0.1/8" is more likely a typo than a wish for all of 10/8, so it is an error that
        // names both readings rather than a silently widened range. IPNetwork clears host bits
        // while parsing; comparing its base address with ours finds them.
        if (!IPNetwork.TryParse($"{address}/{prefixLength.ToString(CultureInfo.InvariantCulture)}", out network))
        {
            return $"the address has bits set beyond the /{prefixLength} prefix; write the network address";
        }

        if (!network.BaseAddress.Equals(address))
        {
            return $"the address has bits set beyond the /{prefixLength} prefix; write the network address "
                + $"({network}) or the single address without a prefix";
        }

        return null;
    }

    private static IPAddress? ParseAddress(string text)
    {
        if (text.Contains('%', StringComparison.Ordinal))
        {
            // A zone id ("fe80::1%eth0") names an interface, not a network.
            return null;
        }

        if (text.Contains(':', StringComparison.Ordinal))
        {
            return IPAddress.TryParse(text, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6 ? v6 : null;
        }

        // IPAddress also accepts inet_aton forms ("10", "10.1", "0x0a.0.0.1", "010.0.0.1") that
        // people read differently from the parser; only four plain decimal parts are accepted.
        var parts = text.Split('.');
        if (parts.Length != 4 || parts.Any(part => !IsPlainNumber(part) || part.Length > 3))
        {
            return null;
        }

        return IPAddress.TryParse(text, out var v4) && v4.AddressFamily == AddressFamily.InterNetwork ? v4 : null;
    }

    /// <summary>Decimal digits without sign or leading zero.</summary>
    private static bool IsPlainNumber(string text) =>
        text.Length > 0 && text.All(char.IsAsciiDigit) && (text.Length == 1 || text[0] != '0');
}
