namespace Portico.Tickets;

/// <summary>
/// Qlik's targetId: when an unauthenticated browser is sent to the login module, the address it
/// wanted is kept here and only an opaque id travels in the redirect. The login module passes the
/// id back in its ticket request and receives the address, so the final redirect goes only to an
/// address Portico itself registered, never to one a client wrote into a URL.
/// </summary>
internal sealed class TargetStore
{
    /// <summary>Long enough to type a password and complete multi-factor login.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(10);

    public const int DefaultCapacity = 50_000;

    /// <summary>Longer addresses are not kept (the user then lands on the hub after login): real ones are a few hundred characters.</summary>
    public const int MaxTargetLength = 4096;

    /// <summary>What all stored addresses may take together, counted as UTF-16 (two bytes a character).</summary>
    public const long DefaultMaxTotalBytes = 16L * 1024 * 1024;

    private readonly TimeProvider _time;
    private readonly Func<int, byte[]> _randomBytes;
    private readonly int _capacity;
    private readonly long _maxTotalBytes;
    private long _totalBytes;
    private readonly ISharedTargetStorage? _shared;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _targets = new(StringComparer.Ordinal);

    // Registration order is expiry order (fixed lifetime, entries are never removed early), so the
    // queue and the dictionary always hold the same entries.
    private readonly Queue<Entry> _registrationOrder = new();

    /// <param name="randomBytes">Returns the requested number of bytes from a CSPRNG; <see cref="RandomIdentifier.Csprng"/> when null.</param>
    /// <param name="lifetime">How long an id resolves; <see cref="DefaultLifetime"/> when null.</param>
    /// <param name="shared">Cluster mode: targets live there instead of in this process.</param>
    public TargetStore(TimeProvider time, Func<int, byte[]>? randomBytes = null, TimeSpan? lifetime = null, int capacity = DefaultCapacity, long maxTotalBytes = DefaultMaxTotalBytes, ISharedTargetStorage? shared = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        var effectiveLifetime = lifetime ?? DefaultLifetime;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(effectiveLifetime, TimeSpan.Zero, nameof(lifetime));
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);

        _time = time;
        _randomBytes = randomBytes ?? RandomIdentifier.Csprng;
        Lifetime = effectiveLifetime;
        _capacity = capacity;
        _maxTotalBytes = maxTotalBytes;
        _shared = shared;
    }

    public TimeSpan Lifetime { get; }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _targets.Count;
            }
        }
    }

    /// <summary>Stores an absolute http(s) address and returns the id that stands for it.</summary>
    /// <returns>
    /// Null when the address is longer than <see cref="MaxTargetLength"/> or the store is full (by
    /// count or bytes). A full store refuses rather than evicting: what unauthenticated clients
    /// fill it with must not push out the targets of users who are logging in right now.
    /// </returns>
    public string? Register(Uri target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (!target.IsAbsoluteUri || (target.Scheme != Uri.UriSchemeHttps && target.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException("A target must be an absolute http or https address.", nameof(target));
        }

        var text = target.OriginalString;
        if (text.Length > MaxTargetLength)
        {
            return null;
        }

        var id = RandomIdentifier.Create(_randomBytes);
        var now = _time.GetUtcNow();
        var entry = new Entry(id, target, now + Lifetime, SizeOf(text));

        lock (_lock)
        {
            Purge(now);
            if (_targets.Count >= _capacity || _totalBytes + entry.Bytes > _maxTotalBytes)
            {
                return null;
            }

            if (!_targets.TryAdd(id, entry))
            {
                throw new InvalidOperationException("The randomness source produced a target id that is already registered.");
            }

            _registrationOrder.Enqueue(entry);
            _totalBytes += entry.Bytes;
        }

        return id;
    }

    /// <summary><see cref="Register"/> in this process or, in cluster mode, in the shared store.</summary>
    public async ValueTask<string?> RegisterAsync(Uri target, CancellationToken cancellationToken)
    {
        if (_shared is null)
        {
            return Register(target);
        }

        ArgumentNullException.ThrowIfNull(target);
        if (!target.IsAbsoluteUri || (target.Scheme != Uri.UriSchemeHttps && target.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException("A target must be an absolute http or https address.", nameof(target));
        }

        if (target.OriginalString.Length > MaxTargetLength)
        {
            return null;
        }

        var id = RandomIdentifier.Create(_randomBytes);
        return await _shared.TryAddAsync(id, target, _time.GetUtcNow() + Lifetime, cancellationToken) ? id : null;
    }

    /// <summary><see cref="Resolve"/> in this process or, in cluster mode, in the shared store.</summary>
    public async ValueTask<Uri?> ResolveAsync(string? targetId, CancellationToken cancellationToken)
    {
        if (_shared is null)
        {
            return Resolve(targetId);
        }

        return string.IsNullOrEmpty(targetId) || targetId.Length > 64 ? null : await _shared.FindAsync(targetId, _time.GetUtcNow(), cancellationToken);
    }

    /// <summary>
    /// The address registered under <paramref name="targetId"/>, or null when unknown or expired.
    /// Not single use: a user who mistypes a password comes back to the login module with the same id.
    /// </summary>
    public Uri? Resolve(string? targetId)
    {
        if (string.IsNullOrEmpty(targetId))
        {
            return null;
        }

        lock (_lock)
        {
            var now = _time.GetUtcNow();
            Purge(now);
            return _targets.TryGetValue(targetId, out var entry) && entry.ExpiresAt > now ? entry.Target : null;
        }
    }

    private void Purge(DateTimeOffset now)
    {
        while (_registrationOrder.TryPeek(out var oldest) && oldest.ExpiresAt <= now)
        {
            _registrationOrder.Dequeue();
            _targets.Remove(oldest.Id);
            _totalBytes -= oldest.Bytes;
        }
    }

    /// <summary>The address twice over (the Uri keeps its original string and its parsed parts) plus the entry itself.</summary>
    private static long SizeOf(string target) => (4L * target.Length) + 256;

    private readonly record struct Entry(string Id, Uri Target, DateTimeOffset ExpiresAt, long Bytes);
}
