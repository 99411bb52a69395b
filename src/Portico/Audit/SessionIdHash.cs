using System.Security.Cryptography;
using System.Text;
using Portico.Hosting;

namespace Portico.Audit;

/// <summary>
/// How the audit log names a session without revealing its id (the cookie's secret): the first 16
/// hex digits of HMAC-SHA-256 of the id under a key kept in the data directory. Every node sharing
/// the data directory writes the same value for the same session, so a session can be followed
/// across nodes; without the key the value cannot be turned back into an id or checked against a
/// guessed one. It differs from X-Qlik-ProxySession, which engines see.
/// </summary>
internal sealed class SessionIdHash(byte[] key)
{
    private const string KeyFileName = "audit-session-key";

    public static SessionIdHash FromDataDirectory(string dataDirectory) => new(DataDirectoryKey.LoadOrCreate(dataDirectory, KeyFileName));

    public string Of(string sessionId) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes("portico-audit-session:" + sessionId)), 0, 8);
}
