using System.Text.Json;

namespace Portico.TestSupport;

/// <summary>What <c>enigma-session.mjs</c> reported. On failure, <see cref="Results"/> still holds the steps that succeeded.</summary>
/// <param name="Ok">All steps (and the hold) succeeded.</param>
/// <param name="Error">Why not: an engine error message, "Socket closed", "Unexpected server response: 403", a timeout, a TLS error...</param>
/// <param name="ErrorCode">The enigma.js or engine error code, e.g. 1003 (app not found) or -1 (not connected).</param>
/// <param name="FailedStep">The step that failed; "open" for the connection itself.</param>
/// <param name="HttpStatus">The status of a refused WebSocket upgrade.</param>
/// <param name="HttpHeaders">The headers of a refused WebSocket upgrade (names lower-case), e.g. location.</param>
/// <param name="HttpBody">The start of the body of a refused WebSocket upgrade.</param>
/// <param name="CloseCode">The WebSocket close code: 1000 after a clean run, 1008 when refused by the engine, 1006 when the connection died.</param>
/// <param name="CloseReason">The close reason sent with <paramref name="CloseCode"/>.</param>
/// <param name="Results">An object keyed by step name.</param>
/// <param name="Notifications">Notifications in arrival order.</param>
/// <param name="RawJson">The script's output as printed, for failure messages.</param>
public sealed record EnigmaRunResult(
    bool Ok,
    string? Error,
    int? ErrorCode,
    string? FailedStep,
    int? HttpStatus,
    IReadOnlyDictionary<string, string> HttpHeaders,
    string? HttpBody,
    int? CloseCode,
    string? CloseReason,
    JsonElement Results,
    IReadOnlyList<EnigmaNotification> Notifications,
    string RawJson)
{
    /// <summary>The result of a step that ran; throws with the whole output when it did not, which makes failing tests readable.</summary>
    public JsonElement Result(string step) =>
        Results.ValueKind == JsonValueKind.Object && Results.TryGetProperty(step, out var value)
            ? value
            : throw new KeyNotFoundException($"Step '{step}' has no result. Output: {RawJson}");

    /// <summary>Reads the script's JSON output.</summary>
    public static EnigmaRunResult Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (root.TryGetProperty("httpHeaders", out var headerObject) && headerObject.ValueKind == JsonValueKind.Object)
        {
            foreach (var header in headerObject.EnumerateObject())
            {
                // Node gives repeated headers such as set-cookie as arrays.
                headers[header.Name] = header.Value.ValueKind == JsonValueKind.Array
                    ? string.Join(", ", header.Value.EnumerateArray().Select(v => v.ToString()))
                    : header.Value.ToString();
            }
        }

        var notifications = root.TryGetProperty("notifications", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray()
                .Select(n => new EnigmaNotification(
                    n.TryGetProperty("method", out var method) ? method.GetString() ?? string.Empty : string.Empty,
                    n.TryGetProperty("params", out var parameters) ? parameters.Clone() : default))
                .ToList()
            : [];

        return new EnigmaRunResult(
            root.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.True,
            String(root, "error"),
            Int(root, "errorCode"),
            String(root, "failedStep"),
            Int(root, "httpStatus"),
            headers,
            String(root, "httpBody"),
            Int(root, "closeCode"),
            String(root, "closeReason"),
            root.TryGetProperty("results", out var results) ? results.Clone() : default,
            notifications,
            json);
    }

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int? Int(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : null;
}
