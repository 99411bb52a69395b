using Portico.Http;

namespace Portico.Cors;

/// <summary>
/// Remembers what Origin header values parse to: parsing one through <see cref="Uri"/> costs more
/// than the rest of the CORS step. Bounded (<see cref="BoundedMemo{TKey, TValue}"/>).
/// </summary>
internal sealed class OriginParseCache(int capacity = OriginParseCache.DefaultCapacity)
{
    public const int DefaultCapacity = 1024;

    // Real origins are short; a long value is parsed (and refused) without being kept.
    private const int MaxKeptLength = 256;

    private readonly BoundedMemo<string, WebOrigin?> _parsed = new(capacity, StringComparer.Ordinal);

    /// <summary>Same answer as <see cref="WebOrigin.Parse"/>, which is a pure function of the value.</summary>
    public WebOrigin? Parse(string value) =>
        _parsed.Get(value, 0, static (v, _) => WebOrigin.Parse(v), keep: value.Length <= MaxKeptLength);
}
