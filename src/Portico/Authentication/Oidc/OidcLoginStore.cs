using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Portico.Authentication.Oidc;

/// <summary>
/// The logins that are under way (state → <see cref="OidcPendingLogin"/>) and the authorization
/// codes already presented. Unauthenticated clients fill both, so both are bounded by count and
/// lifetime and refuse rather than evict when full: a flood must not push out the logins of users
/// who are at the provider's login page right now. In cluster mode both live in the shared store,
/// so the provider may send the browser back to any node.
/// </summary>
internal sealed class OidcLoginStore
{
    /// <summary>Long enough to type a password and complete multi-factor login at the provider.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(10);

    public const int DefaultCapacity = 20_000;

    private const string PendingKind = "oidc-login";
    private const string CodeKind = "oidc-code";

    private readonly TimeProvider _time;
    private readonly int _capacity;
    private readonly ISharedLoginStateStorage? _shared;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, OidcPendingLogin> _pending = new(StringComparer.Ordinal);
    private readonly Queue<(string State, DateTimeOffset ExpiresAt)> _pendingOrder = new();
    private readonly Dictionary<string, DateTimeOffset> _codes = new(StringComparer.Ordinal);
    private readonly Queue<(string CodeHash, DateTimeOffset ExpiresAt)> _codeOrder = new();

    /// <param name="shared">Cluster mode: pending logins and codes live there instead of in this process.</param>
    public OidcLoginStore(TimeProvider time, TimeSpan? lifetime = null, int capacity = DefaultCapacity, ISharedLoginStateStorage? shared = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _time = time;
        _capacity = capacity;
        _shared = shared;
        Lifetime = lifetime ?? DefaultLifetime;
    }

    public TimeSpan Lifetime { get; }

    public DateTimeOffset Now => _time.GetUtcNow();

    public int PendingCount
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count;
            }
        }
    }

    /// <returns>False when the store is full; nothing is stored then.</returns>
    public bool TryAdd(string state, OidcPendingLogin login)
    {
        lock (_lock)
        {
            PurgePending(Now);
            // The queue also keeps slots of logins already taken until they come due: bounded too.
            if (_pending.Count >= _capacity || _pendingOrder.Count >= 2 * _capacity || !_pending.TryAdd(state, login))
            {
                return false;
            }

            _pendingOrder.Enqueue((state, login.ExpiresAt));
            return true;
        }
    }

    /// <summary><see cref="TryAdd"/> in this process or, in cluster mode, in the shared store.</summary>
    public async ValueTask<bool> TryAddAsync(string state, OidcPendingLogin login, CancellationToken cancellationToken) =>
        _shared is null
            ? TryAdd(state, login)
            : await _shared.TryAddAsync(PendingKind, state, JsonSerializer.Serialize(login), login.ExpiresAt, _capacity, cancellationToken);

    /// <summary><see cref="Take"/> in this process or, in cluster mode, in the shared store.</summary>
    public async ValueTask<OidcPendingLogin?> TakeAsync(string? state, CancellationToken cancellationToken)
    {
        if (_shared is null)
        {
            return Take(state);
        }

        // A state is 256 bits in base64url; anything longer is no state of Portico's.
        return string.IsNullOrEmpty(state) || state.Length > 128
            ? null
            : await _shared.TakeAsync(PendingKind, state, Now, cancellationToken) is { } payload ? JsonSerializer.Deserialize<OidcPendingLogin>(payload) : null;
    }

    /// <summary><see cref="TryRecordCode"/> in this process or, in cluster mode, in the shared store.</summary>
    public async ValueTask<bool> TryRecordCodeAsync(string code, CancellationToken cancellationToken) =>
        _shared is null
            ? TryRecordCode(code)
            : await _shared.TryAddAsync(CodeKind, code, "{}", Now + Lifetime, _capacity, cancellationToken);

    /// <summary>Removes and returns the login of <paramref name="state"/>: a state is good for one callback, whatever its outcome.</summary>
    public OidcPendingLogin? Take(string? state)
    {
        if (string.IsNullOrEmpty(state))
        {
            return null;
        }

        lock (_lock)
        {
            var now = Now;
            PurgePending(now);
            return _pending.Remove(state, out var login) && login.ExpiresAt > now ? login : null;
        }
    }

    /// <summary>
    /// Records that <paramref name="code"/> was presented. False when it already was (within the
    /// lifetime, longer than any provider lets a code live) or when the record is full, so a code
    /// is exchanged at most once through Portico even if the provider failed to enforce that.
    /// </summary>
    public bool TryRecordCode(string code)
    {
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(code)));
        lock (_lock)
        {
            var now = Now;
            while (_codeOrder.TryPeek(out var oldest) && oldest.ExpiresAt <= now)
            {
                _codeOrder.Dequeue();
                _codes.Remove(oldest.CodeHash);
            }

            if (_codes.Count >= _capacity || !_codes.TryAdd(hash, now + Lifetime))
            {
                return false;
            }

            _codeOrder.Enqueue((hash, now + Lifetime));
            return true;
        }
    }

    // Fixed lifetime: insertion order is expiry order. An entry taken early leaves its queue slot,
    // which is skipped here when it comes due.
    private void PurgePending(DateTimeOffset now)
    {
        while (_pendingOrder.TryPeek(out var oldest) && oldest.ExpiresAt <= now)
        {
            _pendingOrder.Dequeue();
            if (_pending.TryGetValue(oldest.State, out var login) && login.ExpiresAt <= now)
            {
                _pending.Remove(oldest.State);
            }
        }
    }
}
