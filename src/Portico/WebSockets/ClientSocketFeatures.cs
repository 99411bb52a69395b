namespace Portico.WebSockets;

/// <summary>Hands the forwarder the client's upgraded (WebSocket) stream as a <see cref="ClientSocketStream"/>.</summary>
internal sealed class ClientSocketUpgradeFeature(IHttpUpgradeFeature inner, Func<Stream, Task<Stream>> open) : IHttpUpgradeFeature
{
    public bool IsUpgradableRequest => inner.IsUpgradableRequest;

    public async Task<Stream> UpgradeAsync() => await open(await inner.UpgradeAsync());
}

/// <summary>The same for WebSockets over HTTP/2 (RFC 8441 extended CONNECT).</summary>
internal sealed class ClientSocketExtendedConnectFeature(IHttpExtendedConnectFeature inner, Func<Stream, Task<Stream>> open) : IHttpExtendedConnectFeature
{
    public bool IsExtendedConnect => inner.IsExtendedConnect;

    public string? Protocol => inner.Protocol;

    public async ValueTask<Stream> AcceptAsync() => await open(await inner.AcceptAsync());
}
