using System.Text.Json;

namespace Portico.Bench.Report;

/// <summary>One line of measurements.jsonl: a tool's result for one scenario, target and round.</summary>
internal sealed record Measurement(string Scenario, string Target, int Round, IReadOnlyDictionary<string, double> Numbers, string? FirstError)
{
    public double? this[string metric] => Numbers.TryGetValue(metric, out var value) ? value : null;

    public static Measurement Parse(string line)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        var numbers = new Dictionary<string, double>(StringComparer.Ordinal);
        string? firstError = null;
        foreach (var property in root.GetProperty("metrics").EnumerateObject())
        {
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.Number:
                    numbers[property.Name] = property.Value.GetDouble();
                    break;
                case JsonValueKind.True or JsonValueKind.False:
                    numbers[property.Name] = property.Value.GetBoolean() ? 1 : 0;
                    break;
                case JsonValueKind.String when property.Name == "firstError":
                    firstError = property.Value.GetString();
                    break;
            }
        }

        return new Measurement(root.GetProperty("scenario").GetString()!, root.GetProperty("target").GetString()!, root.GetProperty("round").GetInt32(), numbers, firstError);
    }
}
