using System.Text.Json;

namespace Portico.Bench.Report;

/// <summary>Everything bench/run left in a run directory that the report needs.</summary>
internal sealed record RunData(IReadOnlyList<Measurement> Measurements, IReadOnlyDictionary<string, string> Machine)
{
    public string MachineValue(string key) => Machine.TryGetValue(key, out var value) ? value : "?";

    public bool IsQuick => MachineValue("mode") == "quick";

    public static RunData Load(string runDirectory)
    {
        var measurements = File.ReadLines(Path.Combine(runDirectory, "measurements.jsonl"))
            .Where(line => line.TrimStart().StartsWith('{'))
            .Select(Measurement.Parse)
            .ToList();
        var machine = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(Path.Combine(runDirectory, "machine.json")))
            ?? new Dictionary<string, string>();
        return new RunData(measurements, machine);
    }
}
