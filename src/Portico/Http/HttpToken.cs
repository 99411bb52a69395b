namespace Portico.Http;

/// <summary>RFC 9110 section 5.6.2 "token": the characters allowed in header and cookie names.</summary>
internal static class HttpToken
{
    public static System.Buffers.SearchValues<char> Chars { get; } = System.Buffers.SearchValues.Create(
        "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    public static bool IsToken(string value) => value.Length > 0 && !value.AsSpan().ContainsAnyExcept(Chars);

    public static bool IsTokenChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9')
            or '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';
}
