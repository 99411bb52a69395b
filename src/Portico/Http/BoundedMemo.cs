using System.Collections.Concurrent;

namespace Portico.Http;

/// <summary>
/// Remembers the answers of a pure function of request data, up to a fixed number of keys. A
/// deployment sees a handful of distinct values (origins, say), so the hot path finds them here;
/// once full, other keys are computed on every call and not kept, so a client inventing values
/// costs no more memory than the bound.
/// </summary>
internal sealed class BoundedMemo<TKey, TValue>(int capacity, IEqualityComparer<TKey>? comparer = null)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, TValue> _kept = new(comparer);
    private int _count;

    /// <summary>How many keys are kept (takes the dictionary's locks: for tests and diagnostics, not the hot path).</summary>
    public int Count => _kept.Count;

    /// <param name="keep">False for a key that should not take a place (too long to be real, say).</param>
    public TValue Get<TState>(TKey key, TState state, Func<TKey, TState, TValue> compute, bool keep = true)
    {
        if (_kept.TryGetValue(key, out var value))
        {
            return value;
        }

        value = compute(key, state);
        if (!keep || Volatile.Read(ref _count) >= capacity)
        {
            return value;
        }

        // A place is reserved before the key is added, so racing threads never exceed the bound.
        // Two threads may both compute a new key; the function is pure, so either answer is right.
        if (Interlocked.Increment(ref _count) > capacity || !_kept.TryAdd(key, value))
        {
            Interlocked.Decrement(ref _count);
        }

        return value;
    }
}
