namespace Portico.DemoEngine.Observation;

/// <summary>
/// The most recent requests the engine received, oldest dropped first. Bounded so that a long
/// benchmark against a test engine cannot grow it without limit.
/// </summary>
internal sealed class RequestJournal
{
    public const int DefaultCapacity = 1000;

    private readonly Queue<ObservedRequest> _entries = new();
    private readonly Lock _gate = new();
    private readonly int _capacity;

    public RequestJournal(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _capacity = capacity;
    }

    public void Add(ObservedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate)
        {
            if (_entries.Count == _capacity)
            {
                _entries.Dequeue();
            }

            _entries.Enqueue(request);
        }
    }

    public IReadOnlyList<ObservedRequest> Snapshot()
    {
        lock (_gate)
        {
            return [.. _entries];
        }
    }
}
