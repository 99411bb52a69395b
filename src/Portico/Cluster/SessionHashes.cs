using System.Security.Cryptography;
using System.Text;

namespace Portico.Cluster;

/// <summary>
/// What the cluster database keeps instead of secrets: SHA-256 of session ids, ticket values,
/// target ids and the keys of logins in progress. They are 128 to 256 random bits (an OIDC code is
/// the provider's, and single use), so the hash needs no key or salt to be irreversible, and a row
/// read from the database is no cookie, no ticket and no login state.
/// </summary>
internal static class SessionHashes
{
    /// <summary>
    /// How a session this node knows only from the database (no id) is named inside Portico: '#' and
    /// the hex hash. '#' is not a base64url character, so such a name never passes
    /// <see cref="Sessions.SessionIds.IsWellFormed"/> and is never accepted from a client.
    /// </summary>
    public const char HandleMark = '#';

    public static byte[] OfSession(string id) => Hash("portico-session:", id);

    public static byte[] OfTicket(string value) => Hash("portico-ticket:", value);

    public static byte[] OfTarget(string id) => Hash("portico-target:", id);

    /// <summary>A login in progress: its kind is part of the hash, so a key of one kind never finds an entry of another.</summary>
    public static byte[] OfLoginState(string kind, string key) => Hash("portico-login-" + kind + ":", key);

    public static bool IsHandle(string id) => id.Length > 0 && id[0] == HandleMark;

    public static string Handle(byte[] hash) => HandleMark + Convert.ToHexStringLower(hash);

    /// <summary>The hash a session id or handle stands for; null for a handle that is not one.</summary>
    public static byte[]? OfIdOrHandle(string id)
    {
        if (!IsHandle(id))
        {
            return OfSession(id);
        }

        try
        {
            var hash = Convert.FromHexString(id.AsSpan(1));
            return hash.Length == SHA256.HashSizeInBytes ? hash : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static byte[] Hash(string domain, string value) => SHA256.HashData(Encoding.UTF8.GetBytes(domain + value));
}
