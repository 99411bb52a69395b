using System.Net;

namespace Portico.Configuration.Rules;

internal sealed class ListenerRules : IConfigRule
{
    public void Check(PorticoConfig config, ConfigErrors errors)
    {
        CheckPublicHost(config.PublicHost, errors);

        var listeners = new (string Path, ListenerConfig? Listener)[]
        {
            ("listeners.https", config.Listeners.Https),
            ("listeners.http", config.Listeners.Http),
            ("listeners.qpsApi", config.Listeners.QpsApi),
            ("listeners.qrsApi", config.Listeners.QrsApi),
            ("listeners.ops", config.Listeners.Ops),
        };

        var seenPorts = new Dictionary<int, string>();
        foreach (var (path, listener) in listeners)
        {
            if (listener is null)
            {
                continue;
            }

            if (!IsValidAddress(listener.Address))
            {
                errors.Add($"{path}.address", $"\"{listener.Address}\" is not a listen address; use \"localhost\", \"*\" (all interfaces) or an IP address");
            }

            if (listener.Port is < 0 or > 65535)
            {
                errors.Add($"{path}.port", $"{listener.Port} is not a port; use 1-65535 (or 0 for any free port)");
            }
            else if (listener.Port != 0 && !seenPorts.TryAdd(listener.Port, path))
            {
                errors.Add($"{path}.port", $"{listener.Port} is already used by {seenPorts[listener.Port]}; give each listener its own port");
            }
        }
    }

    internal static bool IsValidAddress(string address) =>
        address is "localhost" or "*" || IPAddress.TryParse(address, out _);

    private static void CheckPublicHost(string publicHost, ConfigErrors errors)
    {
        // Redirects are built from this value, so it must be exactly a host with an optional port:
        // anything else (a path, credentials, a scheme) would let the config produce odd redirects.
        if (string.IsNullOrWhiteSpace(publicHost)
            || !Uri.TryCreate("https://" + publicHost, UriKind.Absolute, out var uri)
            || !string.Equals(uri.Authority, publicHost, StringComparison.OrdinalIgnoreCase)
                && !string.Equals(uri.Host + ":" + uri.Port, publicHost, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add("publicHost", $"\"{publicHost}\" is not a host name with an optional port; write e.g. \"qlik.example.com\" or \"localhost:8443\" (no scheme, no path)");
        }
    }
}
