using Portico.Cors;
using Portico.Http;

namespace Portico.ResponseHeaders;

/// <summary>
/// Parses Qlik's "Additional response headers" text: one <c>Name: value</c> per line. Every line
/// that could corrupt a response (header injection, framing headers, cookies) is an error, named by
/// its line number, so a bad config is refused when it is saved or loaded rather than at run time.
/// </summary>
internal static class AdditionalHeaderParser
{
    // Headers that frame the message, belong to one hop, carry state or are Portico's own: an admin
    // value would break responses (Content-Length, Transfer-Encoding), plant cookies, or let a
    // static value stand in for a per-session secret (qlik-csrf-token).
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "Set-Cookie", "Set-Cookie2", "Content-Length", "Content-Encoding", "Content-Type", "Content-Range",
        "Transfer-Encoding", "Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Upgrade",
        "Host", "Location", "Date", "Server", "WWW-Authenticate", "Proxy-Authenticate", "qlik-csrf-token",
    };

    // RFC 9110 field-value: visible ASCII, space and horizontal tab.
    private static readonly System.Buffers.SearchValues<char> PrintableAscii =
        System.Buffers.SearchValues.Create("\t" + new string(Enumerable.Range(0x20, 0x7F - 0x20).Select(i => (char)i).ToArray()));

    public static AdditionalHeaders Parse(string? text)
    {
        var lines = new List<HeaderLine>();
        var errors = new List<HeaderLineError>();
        if (string.IsNullOrEmpty(text))
        {
            return new AdditionalHeaders(lines, errors);
        }

        var firstLineOfName = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var rawLines = text.Split('\n');
        for (var i = 0; i < rawLines.Length; i++)
        {
            var lineNumber = i + 1;
            var raw = rawLines[i].EndsWith('\r') ? rawLines[i][..^1] : rawLines[i];
            if (string.IsNullOrWhiteSpace(raw))
            {
                continue;
            }

            var line = ParseLine(raw, lineNumber, out var error);
            if (error is not null)
            {
                errors.Add(new HeaderLineError(lineNumber, error));
                continue;
            }

            // CORS lines may repeat (Qlik's article had admins add one origin per line); Portico
            // merges them into the virtual proxy's CORS policy instead of sending them as written.
            if (!CorsHeaderLines.IsCorsHeader(line!.Name) && !firstLineOfName.TryAdd(line.Name, lineNumber))
            {
                errors.Add(new HeaderLineError(lineNumber, $"\"{line.Name}\" is already set on line {firstLineOfName[line.Name]}; put all its values on one line, comma-separated"));
                continue;
            }

            lines.Add(line);
        }

        return new AdditionalHeaders(lines, errors);
    }

    private static HeaderLine? ParseLine(string raw, int lineNumber, out string? error)
    {
        error = null;
        if (raw.Contains('\r', StringComparison.Ordinal))
        {
            error = "contains a carriage return (CR); put each header on a line of its own";
            return null;
        }

        var colon = raw.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            error = $"\"{Shorten(raw)}\" is not a header; write \"Name: value\"";
            return null;
        }

        var name = raw[..colon].Trim();
        var value = raw[(colon + 1)..].Trim(' ', '\t');
        if (name.Length == 0)
        {
            error = "has no header name before the colon; write \"Name: value\"";
            return null;
        }

        var badName = name.AsSpan().IndexOfAnyExcept(HttpToken.Chars);
        if (badName >= 0)
        {
            error = $"header name \"{Shorten(name)}\" contains {Describe(name[badName])}, which is not allowed in a header name; use letters, digits and ! # $ % & ' * + - . ^ _ ` | ~";
            return null;
        }

        if (Reserved.Contains(name))
        {
            error = $"\"{name}\" is set by Portico or the engine and cannot be an additional header; remove this line";
            return null;
        }

        if (value.Length == 0)
        {
            error = $"\"{name}\" has no value; write \"{name}: value\" or remove the line";
            return null;
        }

        var badValue = value.AsSpan().IndexOfAnyExcept(PrintableAscii);
        if (badValue >= 0)
        {
            error = $"the value of \"{name}\" contains {Describe(value[badValue])}; header values must be printable ASCII (percent-encode anything else)";
            return null;
        }

        if (string.Equals(name, HstsHeader.Name, StringComparison.OrdinalIgnoreCase) && !HstsHeader.IsValidValue(value))
        {
            error = $"\"{value}\" is not a valid Strict-Transport-Security value; write e.g. \"max-age=31536000; includeSubDomains\" (RFC 6797)";
            return null;
        }

        return new HeaderLine(lineNumber, name, value);
    }

    private static string Describe(char c) =>
        c < 0x20 || c == 0x7F ? $"a control character (0x{(int)c:X2})" : c == ' ' ? "a space" : $"'{c}'";

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
