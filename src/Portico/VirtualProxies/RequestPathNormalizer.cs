using System.Text;

namespace Portico.VirtualProxies;

/// <summary>
/// Turns the raw request-target path into the single path that decides the virtual proxy, the
/// authentication decision and what is forwarded. Anything two components could read differently
/// is refused rather than guessed.
/// </summary>
internal static class RequestPathNormalizer
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static PathNormalization Normalize(string rawPath)
    {
        // 1. Origin-form only (RFC 9112 3.2.1): absolute-form and "*" are not for an origin proxy.
        if (rawPath.Length == 0 || rawPath[0] != '/')
        {
            return PathNormalization.Rejected("the request target must be a path starting with '/'");
        }

        // 2. A raw backslash is a separator to some servers and not to others.
        if (rawPath.Contains('\\', StringComparison.Ordinal))
        {
            return PathNormalization.Rejected("the path contains a backslash");
        }

        // Almost every request is already normal: no escapes, dot segments, empty segments or
        // control characters. It is returned as it is, without allocating.
        if (IsAlreadyNormal(rawPath))
        {
            return PathNormalization.Valid(rawPath);
        }

        // 3. Decode percent-escapes once; an encoded separator or control character stays ambiguous.
        var decoded = PercentDecode(rawPath, out var decodeError);
        if (decoded is null)
        {
            return PathNormalization.Rejected(decodeError!);
        }

        // 4. RFC 3986 5.2.4 dot-segment removal, with empty segments ("//") collapsed. Climbing
        //    above the root is refused instead of clamped: no legitimate client sends it.
        var segments = new List<string>();
        foreach (var segment in decoded.Split('/'))
        {
            switch (segment)
            {
                case "" or ".":
                    continue;
                case "..":
                    if (segments.Count == 0)
                    {
                        return PathNormalization.Rejected("the path climbs above the root ('..')");
                    }

                    segments.RemoveAt(segments.Count - 1);
                    continue;
                default:
                    segments.Add(segment);
                    continue;
            }
        }

        var normalized = "/" + string.Join('/', segments);
        var endsInDirectory = decoded.EndsWith('/') || decoded.EndsWith("/.", StringComparison.Ordinal) || decoded.EndsWith("/..", StringComparison.Ordinal);
        if (endsInDirectory && segments.Count > 0)
        {
            normalized += "/";
        }

        return PathNormalization.Valid(normalized);
    }

    private static string? PercentDecode(string raw, out string? error)
    {
        error = null;
        if (!raw.Contains('%', StringComparison.Ordinal))
        {
            if (raw.Any(c => c < 0x20 || c == 0x7F))
            {
                error = "the path contains a control character";
                return null;
            }

            return raw;
        }

        var bytes = new List<byte>(raw.Length);
        var literalStart = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c < 0x20 || c == 0x7F)
            {
                error = "the path contains a control character";
                return null;
            }

            if (c != '%')
            {
                continue;
            }

            bytes.AddRange(Encoding.UTF8.GetBytes(raw[literalStart..i]));
            if (i + 2 >= raw.Length || !IsHex(raw[i + 1]) || !IsHex(raw[i + 2]))
            {
                error = "the path has a malformed percent-escape";
                return null;
            }

            var b = (byte)Convert.ToInt32(raw.Substring(i + 1, 2), 16);
            if (b is (byte)'/' or (byte)'\\')
            {
                error = "the path contains an encoded slash or backslash (%2F, %5C)";
                return null;
            }

            if (b < 0x20 || b == 0x7F)
            {
                error = "the path contains an encoded control character";
                return null;
            }

            bytes.Add(b);
            i += 2;
            literalStart = i + 1;
        }

        bytes.AddRange(Encoding.UTF8.GetBytes(raw[literalStart..]));
        try
        {
            return StrictUtf8.GetString(bytes.ToArray());
        }
        catch (DecoderFallbackException)
        {
            error = "the path is not valid UTF-8 after percent-decoding";
            return null;
        }
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static readonly System.Buffers.SearchValues<char> NeedsWork = System.Buffers.SearchValues.Create(
        "%" + new string(Enumerable.Range(0, 0x20).Select(i => (char)i).ToArray()) + "\u007f");

    private static bool IsAlreadyNormal(string path)
    {
        if (path.AsSpan().ContainsAny(NeedsWork))
        {
            return false;
        }

        // Segment by segment: empty ("//") and dot segments need the full pass.
        var start = 1;
        while (start <= path.Length)
        {
            var end = path.IndexOf('/', start);
            var segment = end < 0 ? path.AsSpan(start) : path.AsSpan(start, end - start);
            var isLast = end < 0;
            if ((segment.Length == 0 && !isLast) || segment is "." or "..")
            {
                return false;
            }

            if (isLast)
            {
                return true;
            }

            start = end + 1;
        }

        return true;
    }
}
