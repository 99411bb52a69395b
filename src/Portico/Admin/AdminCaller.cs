namespace Portico.Admin;

/// <summary>
/// Who calls the admin API: the subject of the trusted client certificate, and the Qlik user it
/// acts for when it sends <c>X-Qlik-User</c> (QRS clients do; it is recorded, it grants nothing).
/// Through the web console there is no certificate: the caller is the signed-in admin (<see cref="ForConsole"/>).
/// </summary>
internal sealed record AdminCaller(string CertificateSubject, string? QlikUser)
{
    private const int MaxQlikUserLength = 256;
    private const string ConsoleActor = "console";
    private static readonly object Key = new();

    /// <summary>True for an admin signed in to the web console (docs/console.md), whose <see cref="QlikUser"/> is who they are, not who they claim to act for.</summary>
    public bool ViaConsole { get; private init; }

    /// <summary>QRS's <c>modifiedByUserName</c>: DIRECTORY\user when the client said, else the certificate's subject.</summary>
    public string UserName => QlikUser ?? CertificateSubject;

    /// <summary>What the audit log records as the actor: the certificate's subject, or <c>console DIRECTORY\user</c>.</summary>
    public string Actor => ViaConsole ? $"{ConsoleActor} {QlikUser}" : QlikUser is null ? CertificateSubject : $"{CertificateSubject} (as {QlikUser})";

    /// <summary>The console's admin, <c>DIRECTORY\user</c> of the session the console admitted.</summary>
    public static AdminCaller ForConsole(string user) => new(ConsoleActor, user) { ViaConsole = true };

    public void Attach(HttpContext context) => context.Items[Key] = this;

    public static AdminCaller Of(HttpContext context) =>
        context.Items.TryGetValue(Key, out var caller) && caller is AdminCaller c ? c : throw new InvalidOperationException("The admin guard did not run.");

    /// <summary>Reads Qlik's <c>UserDirectory=X; UserId=y</c>; null when absent or not of that form.</summary>
    public static string? QlikUserOf(string? header)
    {
        if (string.IsNullOrEmpty(header) || header.Length > MaxQlikUserLength)
        {
            return null;
        }

        string? directory = null, user = null;
        foreach (var part in header.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            var name = part[..equals].Trim();
            var value = part[(equals + 1)..].Trim();
            if (name.Equals("UserDirectory", StringComparison.OrdinalIgnoreCase))
            {
                directory = value;
            }
            else if (name.Equals("UserId", StringComparison.OrdinalIgnoreCase))
            {
                user = value;
            }
        }

        return directory is { Length: > 0 } && user is { Length: > 0 } && !(directory + user).Any(char.IsControl) ? $"{directory}\\{user}" : null;
    }
}
