namespace Portico.Audit;

/// <summary>
/// Keeps a flood of refusals from filling a disk through the audit log. The first refusal of each
/// (event code, reason, client address) in a window is written at once; repeats are only counted,
/// and written as one event with their count when the window closes. The map is bounded: refusals
/// of keys beyond its capacity are counted together into one "other" event.
/// </summary>
internal sealed class RefusalAggregator(int capacity)
{
    public const int DefaultCapacity = 1_000;

    private readonly Lock _lock = new();
    private Dictionary<Key, Tally> _window = [];
    private long _other;

    /// <returns>True when <paramref name="refusal"/> is the first of its kind in this window and is to be written now.</returns>
    public bool Admit(AuditEvent refusal)
    {
        var key = new Key(refusal.Code, refusal.Reason, refusal.Client);
        lock (_lock)
        {
            if (_window.TryGetValue(key, out var tally))
            {
                tally.Repeats++;
                return false;
            }

            if (_window.Count >= capacity)
            {
                _other++;
                return false;
            }

            _window.Add(key, new Tally(refusal));
            return true;
        }
    }

    /// <summary>Ends the window: one event per key that repeated, and one for the overflow, stamped <paramref name="now"/>.</summary>
    public IReadOnlyList<AuditEvent> CloseWindow(DateTimeOffset now, TimeSpan window)
    {
        Dictionary<Key, Tally> closed;
        long other;
        lock (_lock)
        {
            closed = _window;
            other = _other;
            _window = [];
            _other = 0;
        }

        var seconds = (int)Math.Ceiling(window.TotalSeconds);
        var events = new List<AuditEvent>();
        foreach (var tally in closed.Values.Where(t => t.Repeats > 0))
        {
            // Only the fields of the key: the rest differed between the repeats.
            events.Add(new AuditEvent
            {
                Code = tally.First.Code,
                Outcome = AuditOutcome.Failure,
                At = now,
                Reason = tally.First.Reason,
                Client = tally.First.Client,
                Count = tally.Repeats,
                WindowSeconds = seconds,
            });
        }

        if (other > 0)
        {
            events.Add(new AuditEvent { Code = AuditCodes.RefusalsOther, Outcome = AuditOutcome.Failure, At = now, Reason = "aggregation_map_full", Count = other, WindowSeconds = seconds });
        }

        return events;
    }

    private readonly record struct Key(string Code, string? Reason, string? Client);

    private sealed class Tally(AuditEvent first)
    {
        public AuditEvent First { get; } = first;

        public long Repeats { get; set; }
    }
}
