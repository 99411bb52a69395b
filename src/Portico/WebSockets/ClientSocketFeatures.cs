namespace Portico.WebSockets;

/// <summary>Hands the forwarder the client's upgraded (WebSocket) stream as a <see cref="ClientSocketStream"/>.</summary>
internal sealed class ClientSocketUpgradeFeature(IHttpUpgradeFeature inner, Func<Stream, Stream> wrap) : IHttpUpgradeFeature
{
    public bool IsUpgradableRequest => inner.IsUpgradableRequest;

    public async Task<Stream> UpgradeAsync() => wrap(await inner.UpgradeAsync());
}

/// <summary>The same for WebSockets over HTTP/2 (RFC 8441 extended CONNECT).</summary>
internal sealed class ClientSocketExtendedConnectFeature(IHttpExtendedConnectFeature inner, Func<Stream, Stream> wrap) : IHttpExtendedConnectFeature
{
    public bool IsExtendedConnect => inner.IsExtendedConnect;

    public string? Protocol => inner.Protocol;

    public async ValueTask<Stream> AcceptAsync() => wrap(await inner.AcceptAsync());
}
