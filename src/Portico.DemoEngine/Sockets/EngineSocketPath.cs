namespace Portico.DemoEngine.Sockets;

/// <summary>
/// Reads the app id out of an engine WebSocket URL: <c>/app/&lt;appId&gt;</c>, optionally followed by
/// the segments enigma.js and Qlik clients append (<c>/identity/&lt;x&gt;</c>, <c>/ttl/&lt;n&gt;</c>);
/// or the bare root <c>/</c>, where a Qlik engine serves a session on the global context only
/// (nebula.js opens its global socket there: <c>wss://host/{prefix}?qlik-csrf-token=...</c>).
/// The raw request target is parsed rather than the decoded path, so an id is decoded exactly once
/// and an encoded '/' inside it survives.
/// </summary>
internal static class EngineSocketPath
{
    /// <param name="rawTarget">The request target as sent on the wire, query included.</param>
    /// <param name="appId">The decoded app id, or <c>null</c> for the global context (<c>/</c>, a bare <c>/app</c> or <c>/app/</c>).</param>
    public static bool TryParse(string rawTarget, out string? appId)
    {
        ArgumentNullException.ThrowIfNull(rawTarget);
        appId = null;

        var path = rawTarget;
        var query = path.IndexOfAny(['?', '#']);
        if (query >= 0)
        {
            path = path[..query];
        }

        // Absolute-form targets ("http://host/app/x") are legal HTTP/1.1; keep only their path.
        if (!path.StartsWith('/') && Uri.TryCreate(path, UriKind.Absolute, out var absolute))
        {
            path = absolute.AbsolutePath;
        }

        if (path == "/")
        {
            return true;
        }

        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0 || !segments[0].Equals("app", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (segments.Length > 1)
        {
            var decoded = Uri.UnescapeDataString(segments[1]);
            appId = decoded.Length == 0 ? null : decoded;
        }

        return true;
    }
}
