using System.Text.Json;

namespace Portico.Tests.Support;

/// <summary>Reads the audit file a running Portico writes, while it writes it.</summary>
internal static class AuditFile
{
    public static IReadOnlyList<string> Lines(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();

        // A line is complete only with its newline; the writer may be in the middle of the next one.
        var end = text.LastIndexOf('\n');
        return end < 0 ? [] : text[..end].Split('\n');
    }

    public static IReadOnlyList<JsonElement> Events(string path) => [.. Lines(path).Select(l => JsonDocument.Parse(l).RootElement)];

    /// <summary>Waits until an event matches, and returns it.</summary>
    public static async Task<JsonElement> WaitForAsync(string path, Func<JsonElement, bool> match, string what)
    {
        JsonElement found = default;
        await Eventually.TrueAsync(() =>
        {
            var hit = Events(path).Where(match).ToList();
            if (hit.Count == 0)
            {
                return false;
            }

            found = hit[0];
            return true;
        }, TimeSpan.FromSeconds(10), what);
        return found;
    }

    public static string? Field(this JsonElement audited, string name) =>
        audited.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static bool Is(this JsonElement audited, string code, string? virtualProxy = null) =>
        audited.Field("event") == code && (virtualProxy is null || audited.Field("virtualProxy") == virtualProxy);
}
