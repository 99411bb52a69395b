using System.Globalization;
using System.Text.RegularExpressions;

namespace Portico.Tests.Functional.Operations;

/// <summary>One sample line of the Prometheus text format: <c>name{label="value",…} value</c>.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>Reads the samples of a /metrics answer, so tests assert on names, labels and values rather than on line layout.</summary>
public static partial class PrometheusText
{
    public static IReadOnlyList<PrometheusSample> Parse(string text)
    {
        var samples = new List<PrometheusSample>();
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var labelStart = line.IndexOf('{', StringComparison.Ordinal);
            var labelEnd = labelStart < 0 ? -1 : line.LastIndexOf('}');
            var name = labelStart < 0 ? line[..line.IndexOf(' ', StringComparison.Ordinal)] : line[..labelStart];
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            if (labelStart >= 0)
            {
                foreach (Match label in LabelPattern().Matches(line[(labelStart + 1)..labelEnd]))
                {
                    labels[label.Groups[1].Value] = Regex.Unescape(label.Groups[2].Value);
                }
            }

            var rest = line[((labelStart < 0 ? name.Length : labelEnd + 1))..].Trim();
            var value = rest.Split(' ')[0] switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                var number => double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture),
            };
            samples.Add(new PrometheusSample(name, labels, value));
        }

        return samples;
    }

    /// <summary>The value of the one sample with this name whose labels include every given pair; null when there is none.</summary>
    public static double? Value(IReadOnlyList<PrometheusSample> samples, string name, params (string Label, string Value)[] labels)
    {
        var matching = samples
            .Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Label, out var v) && v == l.Value))
            .ToList();
        return matching.Count switch
        {
            0 => null,
            1 => matching[0].Value,
            _ => throw new InvalidOperationException($"{matching.Count} samples of {name} match {string.Join(", ", labels)}"),
        };
    }

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\]|\\.)*)""", RegexOptions.CultureInvariant)]
    private static partial Regex LabelPattern();
}
