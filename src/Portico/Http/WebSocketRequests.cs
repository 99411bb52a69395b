namespace Portico.Http;

/// <summary>
/// Tells WebSocket upgrades apart without a feature lookup that misses on every other request: a
/// request that cannot upgrade (HTTP/1.1 without Upgrade, HTTP/2 without extended CONNECT) gets no
/// WebSocket feature, and a missing feature is looked for through every feature of the request and
/// of its connection, each time it is asked for.
/// </summary>
internal static class WebSocketRequests
{
    /// <summary>
    /// True when the request can be upgraded at all; only these get ASP.NET Core's WebSocket feature.
    /// HTTP/1.x upgrades with the Upgrade header, HTTP/2 and HTTP/3 with extended CONNECT (RFC 8441,
    /// RFC 9220): each request is asked about its own protocol's way only, because a feature its
    /// protocol does not have is one of those lookups that miss.
    /// </summary>
    public static bool MayUpgrade(HttpContext context)
    {
        var protocol = context.Request.Protocol;
        return HttpProtocol.IsHttp2(protocol) || HttpProtocol.IsHttp3(protocol)
            ? context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true }
            : context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true };
    }

    /// <summary>The same answer as <c>context.WebSockets.IsWebSocketRequest</c>, cheaply for requests that cannot upgrade.</summary>
    public static bool IsWebSocket(HttpContext context) => MayUpgrade(context) && context.WebSockets.IsWebSocketRequest;

    /// <summary>
    /// An upgrade to anything but WebSocket. The forwarder would tunnel whatever protocol an engine
    /// accepted, past the checks Portico makes on WebSockets (origin, CSRF token, closing with the
    /// session); engines speak only WebSocket, so such a request is refused instead.
    /// </summary>
    public static bool IsOtherUpgrade(HttpContext context) => MayUpgrade(context) && !context.WebSockets.IsWebSocketRequest;
}
