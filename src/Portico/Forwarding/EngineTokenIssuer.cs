using System.Runtime.CompilerServices;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Portico.Authentication;
using Portico.Configuration;

namespace Portico.Forwarding;

/// <summary>
/// Signs the short-lived JWT an engine in <c>jwt</c> mode authenticates each connection with (Qlik
/// Core: <c>Authorization: Bearer</c>, <c>sub</c>, <c>groups</c>, <c>exp</c>). Signing costs more
/// than forwarding a request, so a user's token is reused for half its lifetime. Tokens are kept
/// with the user object of the session (a weak table): they live exactly as long as the sessions
/// that use them, so the cache is bounded by the live sessions and never outlives a logout.
/// </summary>
internal sealed class EngineTokenIssuer
{
    /// <summary>Claim with the user's directory when <c>sub</c> holds the user id alone.</summary>
    public const string UserDirectoryClaim = "userDirectory";

    public const string GroupsClaim = "groups";

    private readonly EngineSigningKey _key;
    private readonly EngineJwtConfig _config;
    private readonly TimeSpan _lifetime;
    private readonly TimeSpan _reuseFor;
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly ConditionalWeakTable<AuthenticatedUser, TokenSlot> _tokens = new();

    public EngineTokenIssuer(EngineSigningKey key, EngineJwtConfig config)
    {
        _key = key;
        _config = config;
        _lifetime = TimeSpan.FromSeconds(config.LifetimeSeconds);
        _reuseFor = _lifetime / 2;
    }

    /// <summary>The Authorization header value for <paramref name="user"/>: a cached token while it has at least half its lifetime left.</summary>
    public string AuthorizationFor(AuthenticatedUser user, DateTimeOffset now)
    {
        var slot = _tokens.GetValue(user, static _ => new TokenSlot());
        if (slot.Current is { } cached && now >= cached.IssuedAt && now < cached.IssuedAt + _reuseFor)
        {
            return cached.Authorization;
        }

        var fresh = new CachedToken("Bearer " + Sign(user, now), now);
        slot.Current = fresh;
        return fresh.Authorization;
    }

    /// <summary>A new token for <paramref name="user"/>, valid from <paramref name="now"/> for the configured lifetime.</summary>
    public string Sign(AuthenticatedUser user, DateTimeOffset now)
    {
        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            [JwtRegisteredClaimNames.Sub] = _config.Subject == EngineJwtSubject.DirectoryAndUserId ? user.UserDirectory + "\\" + user.UserId : user.UserId,
            [UserDirectoryClaim] = user.UserDirectory,
        };
        var groups = user.Attributes.Where(a => string.Equals(a.Key, _config.GroupsAttribute, StringComparison.OrdinalIgnoreCase)).Select(a => a.Value).ToList();
        if (groups.Count > 0)
        {
            claims[GroupsClaim] = groups;
        }

        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            IssuedAt = now.UtcDateTime,
            Expires = (now + _lifetime).UtcDateTime,
            Issuer = _config.Issuer,
            Audience = _config.Audience,
            SigningCredentials = _key.Credentials,
        });
    }

    private sealed class TokenSlot
    {
        public volatile CachedToken? Current;
    }

    private sealed record CachedToken(string Authorization, DateTimeOffset IssuedAt);
}
