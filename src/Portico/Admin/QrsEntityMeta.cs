using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Portico.Configuration;

namespace Portico.Admin;

/// <summary>The QRS bookkeeping of one virtual proxy: its id, dates and last editor.</summary>
internal sealed record QrsEntityMeta(Guid Id, DateTimeOffset CreatedDate, DateTimeOffset ModifiedDate, string ModifiedByUserName)
{
    /// <summary>
    /// What the file says, and for a virtual proxy written by hand, stand-ins: an id derived from its
    /// prefix (stable while the prefix is), and the time the configuration was last written.
    /// </summary>
    public static QrsEntityMeta Of(VirtualProxyConfig vp, DateTimeOffset documentModified) => new(
        vp.Id is { } id && Guid.TryParse(id, out var guid) ? guid : DerivedId(vp.Prefix),
        Truncate(vp.CreatedDate ?? documentModified),
        Truncate(vp.ModifiedDate ?? documentModified),
        vp.ModifiedByUserName ?? "");

    /// <summary>A name-based GUID (RFC 9562 version 8 layout) from the prefix.</summary>
    public static Guid DerivedId(string prefix)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("portico-virtual-proxy:" + prefix));
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    /// <summary>QRS dates have millisecond precision; so do the comparisons made on them.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
    }

    /// <summary>Qlik's format: 2024-05-01T12:34:56.789Z.</summary>
    public static string Format(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
