using System.Globalization;

namespace Portico.Authentication;

/// <summary>
/// Qlik's redirect to an authentication module: the module's URL plus <c>proxyRestUri</c> (where the
/// module asks for a ticket) and <c>targetId</c> (where the user goes afterwards). Built only from
/// configuration and Portico's own ids, never from request data.
/// </summary>
internal static class LoginRedirect
{
    /// <param name="targetId">Where the user goes after login; null when no target was stored (the hub, then).</param>
    public static string Build(string moduleUri, string publicHost, int? qpsApiPort, string virtualProxyPrefix, string? targetId)
    {
        var host = HostOnly(publicHost);
        var proxyRestUri = qpsApiPort is { } port
            ? $"https://{host}:{port.ToString(CultureInfo.InvariantCulture)}/qps/{(virtualProxyPrefix.Length == 0 ? "" : virtualProxyPrefix + "/")}"
            : null;
        var separator = moduleUri.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        var parameters = new List<string>(2);
        if (proxyRestUri is not null)
        {
            parameters.Add("proxyRestUri=" + Uri.EscapeDataString(proxyRestUri));
        }

        if (targetId is not null)
        {
            parameters.Add("targetId=" + Uri.EscapeDataString(targetId));
        }

        return parameters.Count == 0 ? moduleUri : moduleUri + separator + string.Join('&', parameters);
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
