using System.Text.Json;

namespace Portico.TestSupport;

/// <summary>What <c>qlik-api-session.mjs</c> reported.</summary>
/// <param name="Ok">The app opened and both reads succeeded.</param>
/// <param name="Error">Why not, as @qlik/api said it.</param>
/// <param name="FailedStep">"open", "getAppLayout" or "hyperCube".</param>
/// <param name="OpenMs">From openAppSession to the document, in milliseconds.</param>
/// <param name="DurationMs">The whole run.</param>
/// <param name="LayoutTitle">The app layout's qTitle.</param>
/// <param name="Rows">The hypercube's rows, each cell's qText.</param>
/// <param name="WebSocketEvents">onWebSocketEvent's event types in order.</param>
/// <param name="RawJson">The output as printed, for failure messages.</param>
public sealed record QlikApiRunResult(
    bool Ok,
    string? Error,
    string? FailedStep,
    int? OpenMs,
    int DurationMs,
    string? LayoutTitle,
    IReadOnlyList<IReadOnlyList<string>> Rows,
    IReadOnlyList<string> WebSocketEvents,
    string RawJson)
{
    /// <summary>Reads the script's JSON output.</summary>
    public static QlikApiRunResult Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        string? Text(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        int? Number(string name) =>
            root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : null;

        var rows = new List<IReadOnlyList<string>>();
        if (root.TryGetProperty("hyperCube", out var cube) && cube.TryGetProperty("qMatrix", out var matrix))
        {
            rows.AddRange(matrix.EnumerateArray().Select(row => (IReadOnlyList<string>)[.. row.EnumerateArray().Select(cell => Text(cell, "qText") ?? "")]));
        }

        var events = root.TryGetProperty("events", out var list)
            ? list.EnumerateArray().Select(e => e.GetString() ?? "").ToList()
            : [];

        return new QlikApiRunResult(
            root.GetProperty("ok").GetBoolean(),
            Text(root, "error"),
            Text(root, "failedStep"),
            Number("openMs"),
            Number("durationMs") ?? 0,
            root.TryGetProperty("layout", out var layout) ? Text(layout, "qTitle") : null,
            rows,
            events,
            json);
    }
}
