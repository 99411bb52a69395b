namespace Portico.Audit;

/// <summary>
/// Whether an event records something admitted, refused, or merely happening. Refusals may be
/// aggregated and, when the writer is behind, dropped and counted; the others are always written.
/// </summary>
internal enum AuditOutcome
{
    Success,
    Failure,
    Info,
}
