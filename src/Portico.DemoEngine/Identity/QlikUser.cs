using System.Diagnostics.CodeAnalysis;

namespace Portico.DemoEngine.Identity;

/// <summary>
/// The user a connection runs as. The engine never authenticates anybody itself: it trusts the
/// <c>X-Qlik-User</c> header, which only the proxy in front of it is supposed to set.
/// </summary>
internal sealed record QlikUser(string Directory, string Id)
{
    public const string HeaderName = "X-Qlik-User";

    private const string DirectoryKey = "UserDirectory";
    private const string IdKey = "UserId";

    /// <summary>Anonymous access is modelled the Qlik way: a user in the ANONYMOUS directory.</summary>
    public bool IsAnonymous => string.Equals(Directory, "ANONYMOUS", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Parses <c>UserDirectory=&lt;dir&gt;; UserId=&lt;id&gt;</c>. Keys are matched case-insensitively and
    /// spacing is ignored; values are percent-decoded once, so a proxy can carry ';' or '=' in them.
    /// Anything ambiguous (a key given twice, an empty value, a part without '=') is rejected rather
    /// than guessed at, because this header is the whole of the engine's access control.
    /// </summary>
    public static bool TryParse(string? header, [NotNullWhen(true)] out QlikUser? user)
    {
        user = null;
        if (string.IsNullOrWhiteSpace(header))
        {
            return false;
        }

        string? directory = null;
        string? id = null;
        foreach (var part in header.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                return false;
            }

            var key = part[..equals].Trim();
            var value = Decode(part[(equals + 1)..].Trim());
            if (key.Equals(DirectoryKey, StringComparison.OrdinalIgnoreCase))
            {
                if (directory is not null)
                {
                    return false;
                }

                directory = value;
            }
            else if (key.Equals(IdKey, StringComparison.OrdinalIgnoreCase))
            {
                if (id is not null)
                {
                    return false;
                }

                id = value;
            }

            // Other attributes are tolerated: Qlik headers may carry more than the two keys.
        }

        if (string.IsNullOrWhiteSpace(directory) || string.IsNullOrWhiteSpace(id))
        {
            return false;
        }

        user = new QlikUser(directory, id);
        return true;
    }

    /// <summary>The X-Qlik-User header naming this user, values percent-encoded as <see cref="TryParse"/> reads them.</summary>
    public string ToHeaderValue() => $"{DirectoryKey}={Uri.EscapeDataString(Directory)}; {IdKey}={Uri.EscapeDataString(Id)}";

    /// <summary>The form <c>GetAuthenticatedUser</c> returns: decoded values, Qlik's spacing.</summary>
    public override string ToString() => $"{DirectoryKey}={Directory}; {IdKey}={Id}";

    // Uri.UnescapeDataString keeps '+' literal: the header is percent-encoded, not form-encoded,
    // and user ids such as "alice+test" must survive a proxy that did not encode them.
    private static string Decode(string value) => Uri.UnescapeDataString(value);
}
