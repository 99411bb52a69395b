using System.Globalization;

namespace Portico.HttpsRedirection;

/// <summary>
/// Builds the https:// URL a plain-HTTP request is sent to. The host comes from configuration only:
/// a Host header or absolute request target from the client never reaches the Location header.
/// </summary>
internal static class HttpsRedirectTarget
{
    /// <param name="publicHost">Configured host, optionally with a port ("qlik.example.com", "localhost:8443").</param>
    /// <param name="httpsPort">The HTTPS listener's port, used when <paramref name="publicHost"/> names none.</param>
    public static string Build(string publicHost, int httpsPort, PathString path, QueryString query)
    {
        var authority = HasPort(publicHost) || httpsPort == 443
            ? publicHost
            : publicHost + ":" + httpsPort.ToString(CultureInfo.InvariantCulture);

        // PathString escapes what must be escaped; a path starting with "//" stays a path because
        // the authority is always written before it.
        var target = path.HasValue ? path.ToUriComponent() : "/";
        return "https://" + authority + target + query.ToUriComponent();
    }

    private static bool HasPort(string host)
    {
        var lastColon = host.LastIndexOf(':');
        var closingBracket = host.LastIndexOf(']');
        return lastColon > closingBracket && lastColon < host.Length - 1;
    }
}
