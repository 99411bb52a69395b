using System.Globalization;

namespace Portico.Cors;

/// <summary>An RFC 6454 origin: scheme, host and port, normalized (lowercase, default port made explicit).</summary>
internal readonly record struct WebOrigin(string Scheme, string Host, int Port)
{
    /// <summary>Parses the value of an Origin header (or a configured full origin). Anything but scheme://host[:port] fails, "null" included.</summary>
    public static WebOrigin? Parse(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 2048 || value.Any(c => c <= ' ' || c >= 0x7F))
        {
            return null;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https")
            || uri.UserInfo.Length > 0
            || string.IsNullOrEmpty(uri.Host)
            || value.IndexOf('/', uri.Scheme.Length + 3) >= 0
            || value.Contains('?', StringComparison.Ordinal)
            || value.Contains('#', StringComparison.Ordinal))
        {
            return null;
        }

        return new WebOrigin(uri.Scheme, uri.IdnHost.ToLowerInvariant(), uri.Port);
    }

    public bool IsDefaultPort => Port == (Scheme == "https" ? 443 : 80);

    /// <summary>The serialization browsers send (RFC 6454 section 6.2): default ports omitted.</summary>
    public override string ToString() =>
        IsDefaultPort ? $"{Scheme}://{HostForUrl}" : $"{Scheme}://{HostForUrl}:{Port.ToString(CultureInfo.InvariantCulture)}";

    private string HostForUrl => Host.Contains(':', StringComparison.Ordinal) && !Host.StartsWith('[') ? $"[{Host}]" : Host;
}
