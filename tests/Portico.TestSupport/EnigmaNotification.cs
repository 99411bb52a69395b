using System.Text.Json;

namespace Portico.TestSupport;

/// <summary>A JSON-RPC notification the engine pushed (enigma.js <c>notification:*</c>), e.g. OnConnected.</summary>
/// <param name="Method">The notification name.</param>
/// <param name="Params">Its parameters.</param>
public sealed record EnigmaNotification(string Method, JsonElement Params);
