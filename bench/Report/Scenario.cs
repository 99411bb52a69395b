using System.Globalization;

namespace Portico.Bench.Report;

internal enum ScenarioKind
{
    Http,
    Https,
    WebSocketEcho,
    Handshake,
    IdleMemory,
}

/// <summary>What a scenario id (as bench/run names it) measures, and how its numbers read.</summary>
internal sealed record Scenario(string Id, ScenarioKind Kind, int Size)
{
    public string Title => Kind switch
    {
        ScenarioKind.Http => $"HTTP GET, {Size} connections",
        ScenarioKind.Https => $"HTTPS GET, {Size} connections",
        ScenarioKind.WebSocketEcho => $"wss echo, {Size} sockets",
        ScenarioKind.Handshake => $"wss handshakes, {Size} parallel",
        _ => $"idle wss, {Size} sockets",
    };

    public string ShortTitle => Kind switch
    {
        ScenarioKind.Http => $"http c{Size}",
        ScenarioKind.Https => $"https c{Size}",
        ScenarioKind.WebSocketEcho => $"echo {Size}",
        ScenarioKind.Handshake => $"handshakes {Size}",
        _ => $"idle {Size} (mem)",
    };

    /// <summary>The headline metric in the tools' JSON.</summary>
    public string Metric => Kind == ScenarioKind.IdleMemory ? "bytesPerConnection" : "rate";

    public string Unit => Kind switch
    {
        ScenarioKind.Http or ScenarioKind.Https => "req/s",
        ScenarioKind.WebSocketEcho => "round trips/s",
        ScenarioKind.Handshake => "handshakes/s",
        _ => "KiB per socket",
    };

    public bool HigherIsBetter => Kind != ScenarioKind.IdleMemory;

    public bool HasLatency => Kind != ScenarioKind.IdleMemory;

    /// <summary>Value as shown in the report (memory in KiB, everything else as measured).</summary>
    public double Display(double value) => Kind == ScenarioKind.IdleMemory ? value / 1024 : value;

    /// <summary>Scenario ids the report knows; anything else (sessions) is reported separately.</summary>
    public static Scenario? TryParse(string id)
    {
        (string Prefix, ScenarioKind Kind)[] shapes =
        [
            ("http-c", ScenarioKind.Http), ("https-c", ScenarioKind.Https), ("ws-echo-c", ScenarioKind.WebSocketEcho),
            ("ws-handshake-p", ScenarioKind.Handshake), ("ws-idle-", ScenarioKind.IdleMemory),
        ];
        foreach (var (prefix, kind) in shapes)
        {
            if (id.StartsWith(prefix, StringComparison.Ordinal) && int.TryParse(id[prefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            {
                return new Scenario(id, kind, size);
            }
        }

        return null;
    }
}
