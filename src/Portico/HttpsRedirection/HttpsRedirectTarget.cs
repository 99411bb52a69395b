using System.Globalization;
using Portico.Authentication;
using Portico.Http;

namespace Portico.HttpsRedirection;

/// <summary>
/// Builds the https:// URL a plain-HTTP request is sent to. The host comes from configuration only:
/// a Host header or absolute request target from the client never reaches the Location header.
/// A ticket in the query string (any spelling Portico accepts) is left out: it crossed the network
/// in clear, and carrying it on would also put it in the browser's history and the HTTPS access logs.
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
        var kept = QueryStrings.MightContain(query, "icket") ? TicketQuery.Remove(query) : query;
        return "https://" + authority + target + kept.ToUriComponent();
    }

    private static bool HasPort(string host)
    {
        var lastColon = host.LastIndexOf(':');
        var closingBracket = host.LastIndexOf(']');
        return lastColon > closingBracket && lastColon < host.Length - 1;
    }
}
