namespace Portico.Authentication.Oidc;

/// <summary>
/// The id_token of each OIDC session, kept for RP-initiated logout's id_token_hint. Only logins
/// that succeeded add entries, and the store is bounded anyway: when it is full a login keeps no
/// hint, and its logout sends only client_id (the provider may then ask the user to confirm). In
/// cluster mode the hints live in the shared store, so a logout on any node sends the hint.
/// </summary>
/// <param name="shared">Cluster mode: hints live there instead of in this process.</param>
internal sealed class OidcLogoutHints(TimeProvider time, ISharedLoginStateStorage? shared = null)
{
    private const string Kind = "oidc-logout-hint";

    public const int Capacity = 50_000;

    /// <summary>No session outlives this (sessions.absoluteLifetimeMinutes is usually far shorter).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, (string IdToken, DateTimeOffset ExpiresAt)> _hints = new(StringComparer.Ordinal);

    /// <summary><see cref="Add"/> in this process or, in cluster mode, in the shared store.</summary>
    public async ValueTask AddAsync(string sessionId, string idToken, CancellationToken cancellationToken)
    {
        if (shared is null)
        {
            Add(sessionId, idToken);
        }
        else
        {
            // Full or not, the login stands: the hint only spares the user a confirmation at logout.
            await shared.TryAddAsync(Kind, sessionId, System.Text.Json.JsonSerializer.Serialize(idToken), time.GetUtcNow() + Lifetime, Capacity, cancellationToken);
        }
    }

    /// <summary><see cref="Take"/> in this process or, in cluster mode, in the shared store.</summary>
    public async ValueTask<string?> TakeAsync(string sessionId, CancellationToken cancellationToken) =>
        shared is null
            ? Take(sessionId)
            : await shared.TakeAsync(Kind, sessionId, time.GetUtcNow(), cancellationToken) is { } payload ? System.Text.Json.JsonSerializer.Deserialize<string>(payload) : null;

    public void Add(string sessionId, string idToken)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            if (_hints.Count >= Capacity)
            {
                foreach (var expired in _hints.Where(h => h.Value.ExpiresAt <= now).Select(h => h.Key).ToList())
                {
                    _hints.Remove(expired);
                }
            }

            if (_hints.Count < Capacity)
            {
                _hints[sessionId] = (idToken, now + Lifetime);
            }
        }
    }

    public string? Take(string sessionId)
    {
        lock (_lock)
        {
            return _hints.Remove(sessionId, out var hint) && hint.ExpiresAt > time.GetUtcNow() ? hint.IdToken : null;
        }
    }
}
