using Portico.Certificates;
using Portico.Configuration;
using Portico.Listeners;

namespace Portico.Hosting;

/// <summary>What a newcomer needs after start-up: where Portico listens, which certificate to trust, and how to connect.</summary>
internal static class StartupBanner
{
    public static string Text(ConfigSnapshot snapshot, BoundListeners listeners, HostCertificates certificates)
    {
        var host = snapshot.Config.PublicHost.Split(':')[0];
        var https = $"https://{host}:{listeners.HttpsPort}";
        var lines = new List<string>
        {
            "",
            "Portico is running.",
            $"  HTTPS          {https}/",
        };
        if (listeners.HttpPort is { } httpPort)
        {
            lines.Add($"  HTTP (redirect) http://{host}:{httpPort}/ -> HTTPS");
        }

        if (listeners.QpsApiPort is { } qpsPort)
        {
            lines.Add($"  QPS API        https://{host}:{qpsPort}/qps/");
        }

        if (listeners.QrsApiPort is { } qrsPort)
        {
            lines.Add($"  Admin (QRS)    https://{host}:{qrsPort}/qrs/virtualproxyconfig");
        }

        if (snapshot.Config.Console is { VirtualProxy: { } consoleProxy })
        {
            lines.Add($"  Console        {https}{(consoleProxy.Length == 0 ? "" : "/" + consoleProxy)}/console/ (sign in as an admin; docs/console.md)");
        }

        if (listeners.OpsPort is { } opsPort && snapshot.Config.Listeners.Ops is { } ops)
        {
            lines.Add($"  Operations     http://{ops.Address}:{opsPort}/healthz, /readyz, /metrics");
        }

        lines.Add($"  Certificate    SHA-256 {ServerCertificate.Fingerprint(certificates.Server)}");
        if (certificates.Development is { } dev)
        {
            lines.Add($"  Trust this CA  {dev.CaPath}");
        }

        lines.Add("  Virtual proxies:");
        foreach (var vp in snapshot.VirtualProxies.All)
        {
            var access = vp.Config.AnonymousAccessMode == AnonymousAccessMode.NoAnonymousUser ? vp.Config.AuthenticationMethod.ToString() : "anonymous";
            lines.Add($"    {https}{vp.PathBase}/  ({access}) -> {string.Join(", ", vp.Config.LoadBalancingServerNodes)}");
        }

        var first = snapshot.VirtualProxies.All[0];
        var ca = certificates.Development?.CaPath ?? "<your CA file>";
        lines.Add("");
        lines.Add("Connect with enigma.js (npm i enigma.js ws):");
        lines.Add($"  const session = enigma.create({{ schema, url: 'wss://{host}:{listeners.HttpsPort}{first.PathBase}/app/engineData',");
        lines.Add($"    createSocket: url => new WebSocket(url, {{ ca: fs.readFileSync('{ca}') }}) }});");
        lines.Add("  const global = await session.open(); console.log(await global.getDocList());");
        lines.Add("");
        return string.Join(Environment.NewLine, lines);
    }
}
