namespace Portico.Cors;

/// <summary>
/// RFC 6455 10.2: a browser always sends Origin on a WebSocket upgrade, so a page from a site that is
/// neither the proxy's own nor allowed never gets a socket, whatever credential it carries. No
/// Origin at all means a non-browser client, which the CSRF token rule still covers.
/// </summary>
internal static class WebSocketOriginPolicy
{
    public const string RefusalReason = "WebSocket Origin is not the proxy's own and not in the host allow list";

    public static bool Allows(OriginCheck origin) => origin != OriginCheck.NotAllowed;
}
