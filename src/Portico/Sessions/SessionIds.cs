using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;

namespace Portico.Sessions;

/// <summary>Session ids: 256 bits from a CSPRNG, base64url; app-supplied ids (session API) must look at least as strong.</summary>
internal static class SessionIds
{
    /// <summary>32 characters of base64url carry 192 bits; a GUID's 36 characters carry 122 random bits, Qlik's usual session id.</summary>
    public const int MinimumLength = 32;

    public const int MaximumLength = 128;

    private static readonly SearchValues<char> Base64UrlChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    public static string New() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>Shape check before any lookup: an id that could not have been issued is never looked up.</summary>
    public static bool IsWellFormed(string? id) =>
        id is { Length: >= MinimumLength and <= MaximumLength } && !id.AsSpan().ContainsAnyExcept(Base64UrlChars);
}
