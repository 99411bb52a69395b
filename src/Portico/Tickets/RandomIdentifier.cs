using System.Security.Cryptography;

namespace Portico.Tickets;

/// <summary>Unguessable identifiers for tickets and targets.</summary>
internal static class RandomIdentifier
{
    /// <summary>128 bits: OWASP's floor for identifiers that grant access on their own.</summary>
    public const int ByteCount = 16;

    /// <summary>The production source of randomness: the operating system's CSPRNG.</summary>
    public static Func<int, byte[]> Csprng { get; } = RandomNumberGenerator.GetBytes;

    /// <summary>
    /// 32 lowercase hex characters: only [0-9a-f], so the value survives URLs, case-folding proxies
    /// and copy-paste without escaping.
    /// </summary>
    public static string Create(Func<int, byte[]> randomBytes)
    {
        var bytes = randomBytes(ByteCount);
        if (bytes is null || bytes.Length != ByteCount)
        {
            // A short read would silently weaken every identifier; refuse instead.
            throw new InvalidOperationException($"The randomness source must return exactly {ByteCount} bytes.");
        }

        return Convert.ToHexStringLower(bytes);
    }
}
