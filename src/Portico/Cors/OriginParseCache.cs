using System.Collections.Concurrent;

namespace Portico.Cors;

/// <summary>
/// Remembers what Origin header values parse to. A deployment sees a handful of origins, and
/// parsing one through <see cref="Uri"/> costs more than the rest of the CORS step. Bounded: once
/// full, other values are parsed on every request and not kept, so a client inventing origins
/// costs no more memory than the bound.
/// </summary>
internal sealed class OriginParseCache(int capacity = OriginParseCache.DefaultCapacity)
{
    public const int DefaultCapacity = 1024;

    // Real origins are short; a long value is parsed (and refused) without being kept.
    private const int MaxKeptLength = 256;

    private readonly ConcurrentDictionary<string, WebOrigin?> _parsed = new(StringComparer.Ordinal);
    private int _count;

    /// <summary>Same answer as <see cref="WebOrigin.Parse"/>, which is a pure function of the value.</summary>
    public WebOrigin? Parse(string value)
    {
        if (_parsed.TryGetValue(value, out var origin))
        {
            return origin;
        }

        origin = WebOrigin.Parse(value);
        if (value.Length <= MaxKeptLength && Volatile.Read(ref _count) < capacity && _parsed.TryAdd(value, origin))
        {
            Interlocked.Increment(ref _count);
        }

        return origin;
    }
}
