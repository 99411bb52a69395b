namespace Portico.Configuration;

/// <summary>
/// The audit log: one JSON line per security decision (see docs/operations.md, "Audit log"). Read at
/// start; a change takes effect after a restart.
/// </summary>
public sealed record AuditConfig
{
    public bool Enabled { get; init; }

    /// <summary>JSON-lines file; a relative path is resolved against the config file's folder. Null writes no file.</summary>
    public string? File { get; init; } = "audit/portico-audit.jsonl";

    /// <summary>Also writes every event to standard output (for containers that collect it).</summary>
    public bool Stdout { get; init; }

    /// <summary>The file is rotated before it would grow past this size.</summary>
    public long MaxFileBytes { get; init; } = 10 * 1024 * 1024;

    /// <summary>Files kept, the current one included: portico-audit.jsonl, portico-audit.jsonl.1, ...</summary>
    public int MaxFiles { get; init; } = 10;
}
