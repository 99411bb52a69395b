using System.Diagnostics.Metrics;

namespace Portico.Sessions;

/// <summary>
/// Session instruments on Portico's meter, readable by any System.Diagnostics.Metrics listener
/// (dotnet-counters, OpenTelemetry): how many sessions this node holds, against its cap.
/// </summary>
internal sealed class SessionMetrics
{
    public const string MeterName = "Portico";

    public SessionMetrics(IMeterFactory meters, SessionManager sessions)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableUpDownCounter("portico.sessions.live", () => sessions.LiveCount, unit: "{session}",
            description: "Live sessions on this node (anonymous ones included).");
    }
}
