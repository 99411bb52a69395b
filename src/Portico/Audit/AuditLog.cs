using System.Threading.Channels;

namespace Portico.Audit;

/// <summary>
/// Where decision points record their audit events. Recording never blocks a thread and never does
/// I/O: events go into bounded queues that <see cref="AuditWriter"/> drains in the background.
/// Refusals go through <see cref="RefusalAggregator"/> into a queue that drops (and counts) what does
/// not fit, so a flood costs no memory and no disk. Admissions and session ends go into a second,
/// larger queue that the writer always empties first; when even that is full the recording caller
/// waits (asynchronously) for room, because these events are never dropped. See docs/operations.md,
/// "Audit log".
/// </summary>
internal sealed class AuditLog
{
    public const int DefaultKeptCapacity = 16_384;
    public const int DefaultRefusalCapacity = 1_024;

    private readonly TimeProvider _time;
    private readonly Channel<AuditEvent> _kept;
    private readonly Channel<AuditEvent> _refusals;
    private long _dropped;

    public AuditLog(bool enabled, TimeProvider time, int keptCapacity = DefaultKeptCapacity, int refusalCapacity = DefaultRefusalCapacity, int aggregatorCapacity = RefusalAggregator.DefaultCapacity)
    {
        Enabled = enabled;
        _time = time;
        _kept = Channel.CreateBounded<AuditEvent>(new BoundedChannelOptions(keptCapacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
        _refusals = Channel.CreateBounded<AuditEvent>(new BoundedChannelOptions(refusalCapacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
        Aggregator = new RefusalAggregator(aggregatorCapacity);
    }

    public bool Enabled { get; }

    internal RefusalAggregator Aggregator { get; }

    internal ChannelReader<AuditEvent> Kept => _kept.Reader;

    internal ChannelReader<AuditEvent> Refusals => _refusals.Reader;

    /// <summary>Records a refusal: aggregated with its repeats, dropped and counted when the writer is behind.</summary>
    public void Refused(AuditEvent refusal)
    {
        if (!Enabled)
        {
            return;
        }

        var stamped = Stamp(refusal);
        if (Aggregator.Admit(stamped) && !_refusals.Writer.TryWrite(stamped))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>
    /// Records any event: refusals as <see cref="Refused"/>, everything else without ever dropping it.
    /// Completes at once unless the writer is thousands of events behind.
    /// </summary>
    public ValueTask RecordAsync(AuditEvent? audited)
    {
        if (!Enabled || audited is null)
        {
            return ValueTask.CompletedTask;
        }

        if (audited.Outcome == AuditOutcome.Failure)
        {
            Refused(audited);
            return ValueTask.CompletedTask;
        }

        var stamped = Stamp(audited);
        return _kept.Writer.TryWrite(stamped) ? ValueTask.CompletedTask : _kept.Writer.WriteAsync(stamped);
    }

    /// <summary>
    /// For rare events off the request path (configuration applied or rejected): always kept, never
    /// aggregated; when the queue is full the event waits for room on its own.
    /// </summary>
    public void Record(AuditEvent audited)
    {
        if (!Enabled)
        {
            return;
        }

        var stamped = Stamp(audited);
        if (!_kept.Writer.TryWrite(stamped))
        {
            _ = _kept.Writer.WriteAsync(stamped).AsTask();
        }
    }

    /// <summary>Refusals dropped since the last call.</summary>
    internal long TakeDropped() => Interlocked.Exchange(ref _dropped, 0);

    private AuditEvent Stamp(AuditEvent audited) => audited.At == default ? audited with { At = _time.GetUtcNow() } : audited;
}
