using System.Text;

namespace Portico.Logging;

/// <summary>
/// The request target as the access log shows it: the path and query the client sent, with the
/// value of every parameter that could be a credential replaced by <c>***</c> (its name stays, so
/// an admin still sees that a ticket or token was presented) and characters that could forge a
/// line escaped (<see cref="LogValues"/>).
/// </summary>
/// <remarks>
/// The rule is by name, and errs on the side of hiding: a parameter is redacted when its name,
/// percent-decoded and in any case, contains one of <see cref="SecretNameFragments"/>, or cannot be
/// decoded. That covers Qlik's <c>qlikTicket</c> and <c>qlik-csrf-token</c>, OAuth's <c>code</c>
/// and <c>access_token</c>, SAML responses, signatures and passwords. Qlik's <c>xrfkey</c> is no
/// credential (a per-request nonce sent twice), but it matches <c>key</c> and tells an admin
/// nothing, so it is hidden too. The enigma.js form of the CSRF token, <c>&amp;name=value</c> in
/// the path itself, gets the same rule.
/// </remarks>
internal static class AccessLogTarget
{
    public const string Redacted = "***";

    public static readonly IReadOnlyList<string> SecretNameFragments =
        ["ticket", "token", "secret", "password", "passwd", "pwd", "key", "auth", "session", "sig", "code", "credential", "jwt", "saml", "assertion"];

    /// <summary>The path, escaped, with <c>&amp;name=value</c> pieces redacted by the rule.</summary>
    public static string Path(string path) =>
        LogValues.Escape(path.Contains('&', StringComparison.Ordinal) ? RedactPairs(path, start: path.IndexOf('&', StringComparison.Ordinal), stops: "/") : path);

    /// <summary>The query string as sent (with its <c>?</c>), escaped and redacted; "" when there is none.</summary>
    public static string Query(string? query) =>
        string.IsNullOrEmpty(query) ? "" : LogValues.Escape(RedactPairs(query, start: 0, stops: ""));

    /// <summary>True when a parameter of this (still percent-encoded) name is logged without its value.</summary>
    public static bool IsSecretName(ReadOnlySpan<char> encodedName)
    {
        string name;
        try
        {
            name = encodedName.IndexOfAny('%', '+') < 0 ? encodedName.ToString() : Uri.UnescapeDataString(encodedName.ToString().Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            return true;
        }

        // A name that decodes to something unreadable hides what it is: hide its value too.
        if (name.Contains('%', StringComparison.Ordinal) || name.Contains('\uFFFD', StringComparison.Ordinal))
        {
            return true;
        }

        foreach (var fragment in SecretNameFragments)
        {
            if (name.Contains(fragment, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Redacts the values of secret <c>name=value</c> pairs in <paramref name="text"/> from
    /// <paramref name="start"/> on: pairs are separated by <c>&amp;</c> (and <c>?</c> at the start)
    /// and a value ends at the next <c>&amp;</c> or any of <paramref name="stops"/>. Returns the text
    /// itself when nothing is secret, so the usual request costs no copy.
    /// </summary>
    private static string RedactPairs(string text, int start, string stops)
    {
        StringBuilder? redacted = null;
        var copiedUpTo = 0;
        var i = start;
        while (i < text.Length)
        {
            // Skip separators to the start of a pair.
            if (text[i] is '&' or '?')
            {
                i++;
                continue;
            }

            var end = i;
            while (end < text.Length && text[end] != '&' && stops.IndexOf(text[end], StringComparison.Ordinal) < 0)
            {
                end++;
            }

            var equals = text.IndexOf('=', i, end - i);
            if (equals >= 0 && equals + 1 < end && IsSecretName(text.AsSpan(i, equals - i)))
            {
                redacted ??= new StringBuilder(text.Length);
                redacted.Append(text, copiedUpTo, equals + 1 - copiedUpTo).Append(Redacted);
                copiedUpTo = end;
            }

            // A stop character (the '/' after an enigma.js token in a path) ends the pairs until the next '&'.
            if (end < text.Length && text[end] != '&')
            {
                end = text.IndexOf('&', end);
                if (end < 0)
                {
                    break;
                }
            }

            i = end;
        }

        if (redacted is null)
        {
            return text;
        }

        return redacted.Append(text, copiedUpTo, text.Length - copiedUpTo).ToString();
    }
}
