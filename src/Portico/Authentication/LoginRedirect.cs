using System.Globalization;

namespace Portico.Authentication;

/// <summary>
/// Qlik's redirect to an authentication module: the module's URL plus <c>proxyRestUri</c> (where the
/// module asks for a ticket) and <c>targetId</c> (where the user goes afterwards). Built only from
/// configuration and Portico's own ids, never from request data.
/// </summary>
internal static class LoginRedirect
{
    public static string Build(string moduleUri, string publicHost, int? qpsApiPort, string virtualProxyPrefix, string targetId)
    {
        var host = HostOnly(publicHost);
        var proxyRestUri = qpsApiPort is { } port
            ? $"https://{host}:{port.ToString(CultureInfo.InvariantCulture)}/qps/{(virtualProxyPrefix.Length == 0 ? "" : virtualProxyPrefix + "/")}"
            : null;
        var separator = moduleUri.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        var query = (proxyRestUri is null ? "" : "proxyRestUri=" + Uri.EscapeDataString(proxyRestUri) + "&") + "targetId=" + Uri.EscapeDataString(targetId);
        return moduleUri + separator + query;
    }

    private static string HostOnly(string publicHost)
    {
        if (publicHost.StartsWith('['))
        {
            return publicHost[..(publicHost.IndexOf(']', StringComparison.Ordinal) + 1)];
        }

        var colon = publicHost.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? publicHost : publicHost[..colon];
    }
}
