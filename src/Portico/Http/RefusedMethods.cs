namespace Portico.Http;

/// <summary>
/// Methods no engine is sent. TRACE and TRACK echo the request back, identity headers included, and
/// CONNECT would open a tunnel; only the WebSocket form of CONNECT (HTTP/2 extended CONNECT, RFC 8441)
/// is a request Portico forwards.
/// </summary>
internal static class RefusedMethods
{
    /// <summary>What a 405 answer allows instead (RFC 9110 15.5.6 requires the list).</summary>
    public const string Allowed = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

    public static bool IsRefused(string method, bool isExtendedConnect) =>
        HttpMethods.IsTrace(method)
        || string.Equals(method, "TRACK", StringComparison.OrdinalIgnoreCase)
        || (HttpMethods.IsConnect(method) && !isExtendedConnect);
}
