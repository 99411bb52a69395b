using System.Security.Cryptography;
using System.Text;
using Portico.Authentication;

namespace Portico.Sessions;

/// <summary>A logged-in user on one virtual proxy, identified by the id in its session cookie.</summary>
internal sealed record Session
{
    public required string Id { get; init; }

    public required string VirtualProxyPrefix { get; init; }

    public required AuthenticatedUser User
    {
        get;
        init
        {
            field = value;
            IdentityHeaderUser = Forwarding.IdentityHeaders.FormatUser(value);
        }
    }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset LastActivityAt { get; init; }

    /// <summary>
    /// Set when the session was created from a per-request credential (a bearer token, a trusted
    /// header), so the same credential finds this session again instead of creating one per request.
    /// </summary>
    public string? CredentialKey { get; init; }

    /// <summary>
    /// True once a request after the one that created the session used it (its cookie came back, its
    /// credential was presented again, or a WebSocket opened on it). An anonymous session that stays
    /// unused ends after a short grace: see <see cref="SessionLifetime"/>.
    /// </summary>
    public bool UsedAgain { get; init; }

    /// <summary>The engine node (destination id) this session sticks to, once its first request was forwarded.</summary>
    public string? EngineNode { get; init; }

    /// <summary>
    /// What the engine is told in X-Qlik-ProxySession: a stable id derived from the session id rather
    /// than the id itself, so the cookie's secret never sits in engine logs. Computed once per session.
    /// </summary>
    /// <summary>The engine's X-Qlik-User value for this session's user, formatted with the user, once per session rather than per request.</summary>
    public string IdentityHeaderUser { get; private init; } = "";

    public string ProxySessionId => field ??= Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("X-Qlik-ProxySession:" + Id)), 0, 16);
}
