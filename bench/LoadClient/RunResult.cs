namespace Portico.Bench.LoadClient;

/// <summary>The one JSON line a run prints; bench/run stores it and bench/Report reads it.</summary>
internal sealed record RunResult
{
    public required string Mode { get; init; }

    public required int Connections { get; init; }

    public int Opened { get; init; }

    public int Failed { get; init; }

    public string? FirstError { get; init; }

    /// <summary>True when Portico issued a CSRF token and the upgrades carried it.</summary>
    public bool CsrfToken { get; init; }

    public double DurationSeconds { get; init; }

    /// <summary>Round trips (echo), complete handshake cycles (handshake) or verified sockets (idle).</summary>
    public long Count { get; init; }

    public double Rate { get; init; }

    public double P50Ms { get; init; }

    public double P99Ms { get; init; }

    public long Errors { get; init; }

    /// <summary>Echo: CPU time of the measured processes during the loops, per round trip.</summary>
    public double? CpuUsPerOp { get; init; }

    /// <summary>With --start-at: how late the loops started (ms), because opening took longer than the start time allowed.</summary>
    public double? StartedLateMs { get; init; }

    public long? RssBeforeKb { get; init; }

    public long? RssAfterLoginKb { get; init; }

    public long? RssWithSocketsKb { get; init; }

    /// <summary>(RSS with the sockets open − RSS before any login) / sockets opened.</summary>
    public double? BytesPerConnection { get; init; }

    /// <summary>The same without the sessions: (RSS with sockets − RSS after the logins) / sockets opened.</summary>
    public double? SocketBytesPerConnection { get; init; }

    /// <summary>Steady: VmRSS of the measured processes after a full garbage collection, after the login (before the requests).</summary>
    public long? RssBeforeGcKb { get; init; }

    /// <summary>Steady: the same at the end, after the last request.</summary>
    public long? RssAfterGcKb { get; init; }

    /// <summary>Steady: answers by HTTP status ("none": no answer).</summary>
    public IReadOnlyDictionary<string, long>? Statuses { get; init; }

    /// <summary>Steady with a window: the requests sent before, during and after it.</summary>
    public IReadOnlyDictionary<string, PhaseResult>? Phases { get; init; }
}
