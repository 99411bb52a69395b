using System.Security.Cryptography;
using System.Text;
using Portico.Configuration;

namespace Portico.Forwarding;

/// <summary>
/// The id Portico gives itself toward engines in <c>X-Qlik-ProxyId</c>, as Qlik's proxy does. An
/// engine may group sessions by proxy, so every node of one Portico cluster must send the same id:
/// the configured <c>proxyId</c>, or else a name-based UUID of the public host,
/// which all nodes behind one public name share without coordination. The UUID is RFC 9562's
/// SHA-256 name-based form (version 8, Appendix B.2) rather than version 5, whose SHA-1 the build refuses.
/// </summary>
internal static class ProxyIdentity
{
    /// <summary>The RFC 9562 namespace for name-based ids of Portico's public host (a fixed random UUID).</summary>
    private static readonly Guid PublicHostNamespace = new("6b1f0c6e-58d4-4a52-9a31-0f3c2f5e8d41");

    public static Guid Of(PorticoConfig config) =>
        config.ProxyId is { } configured && Guid.TryParse(configured, out var id) ? id : FromPublicHost(config.PublicHost);

    public static Guid FromPublicHost(string publicHost)
    {
        // RFC 9562 §5.8 / B.2: SHA-256 over the namespace (network byte order) and the name; version and variant bits set.
        var name = Encoding.UTF8.GetBytes(publicHost.ToLowerInvariant());
        var input = new byte[16 + name.Length];
        PublicHostNamespace.TryWriteBytes(input, bigEndian: true, out _);
        name.CopyTo(input, 16);
        var hash = SHA256.HashData(input);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
