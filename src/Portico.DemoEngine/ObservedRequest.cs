namespace Portico.DemoEngine;

/// <summary>An HTTP request or WebSocket upgrade exactly as it reached the engine, for asserting on what a proxy forwarded.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The request path, percent-decoded the way ASP.NET Core presents it.</param>
/// <param name="QueryString">The raw query string including its leading '?', or empty.</param>
/// <param name="Headers">The headers; names lower-cased, repeated values joined with ", ".</param>
/// <param name="IsWebSocket">Whether the request asked for a WebSocket upgrade.</param>
public sealed record ObservedRequest(
    string Method,
    string Path,
    string QueryString,
    IReadOnlyDictionary<string, string> Headers,
    bool IsWebSocket);
