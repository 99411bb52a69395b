using Microsoft.Extensions.Primitives;

namespace Portico.Cors;

/// <summary>
/// A virtual proxy's cross-origin policy, computed once per configuration snapshot: the allow list
/// (shared with the WebSocket origin check), and the header values sent to allowed origins.
/// Credentials are always allowed, so "*" is never an answer (Fetch standard, CORS protocol).
/// </summary>
internal sealed class CorsPolicy
{
    private static readonly string[] DefaultMethods = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
    /// <summary>
    /// What Qlik's clients send (enigma.js, nebula.js, @qlik/api: its version and web integration id
    /// on every REST call); an admin adds more with <c>Access-Control-Allow-Headers</c> lines.
    /// </summary>
    private static readonly string[] DefaultRequestHeaders =
        ["Authorization", "Content-Type", "qlik-csrf-token", "X-Qlik-Xrfkey", "X-Requested-With", "qlik-api-version", "qlik-web-integration-id"];

    public CorsPolicy(OriginAllowList allowList, CorsHeaderLines? adminLines = null)
    {
        AllowList = allowList;
        ExposeHeaders = Join(["qlik-csrf-token", .. adminLines?.ExposeHeaders ?? []]);
        AllowMethods = Join([.. DefaultMethods, .. adminLines?.AllowMethods ?? []]);
        AllowHeaders = Join([.. DefaultRequestHeaders, .. adminLines?.AllowHeaders ?? []]);
        MaxAge = (adminLines?.MaxAgeSeconds ?? 3600).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public OriginAllowList AllowList { get; }

    /// <summary>A virtual proxy with an empty allow list does no CORS at all (and sends no Vary: Origin).</summary>
    public bool IsEnabled => !AllowList.IsEmpty;

    public StringValues ExposeHeaders { get; }

    public StringValues AllowMethods { get; }

    public StringValues AllowHeaders { get; }

    public StringValues MaxAge { get; }

    private static StringValues Join(IEnumerable<string> values) =>
        new(string.Join(", ", values.Distinct(StringComparer.OrdinalIgnoreCase)));
}
