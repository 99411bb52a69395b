using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Portico.Configuration;

/// <summary>
/// Checks a parsed configuration document against the shape of <see cref="PorticoConfig"/> before
/// anything is read from it, and reports every unknown field, field given twice, missing required
/// field, wrong value type and unknown enum name at once, each with its path and line. The
/// serializer alone stops at the first of these, which made fixing a file one run per typo.
/// </summary>
internal sealed class ConfigJsonShape
{
    private readonly JsonLineIndex _lines;
    private readonly ConfigErrors _errors = new();
    private readonly Dictionary<string, int> _occurrences = new(StringComparer.Ordinal);

    private ConfigJsonShape(JsonLineIndex lines) => _lines = lines;

    public static IReadOnlyList<ConfigError> Check(JsonElement root, JsonLineIndex lines)
    {
        var shape = new ConfigJsonShape(lines);
        shape.Walk(root, typeof(PorticoConfig), "");
        return shape._errors.All;
    }

    private void Walk(JsonElement element, Type type, string path)
    {
        var typeInfo = ConfigJson.Options.GetTypeInfo(type);
        switch (typeInfo.Kind)
        {
            case JsonTypeInfoKind.Object when element.ValueKind == JsonValueKind.Object:
                WalkObject(element, typeInfo, path);
                break;
            case JsonTypeInfoKind.Enumerable when element.ValueKind == JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    // A null entry is left to the rules, which know what the list holds.
                    if (item.ValueKind != JsonValueKind.Null)
                    {
                        Walk(item, typeInfo.ElementType!, $"{path}[{index}]");
                    }

                    index++;
                }

                break;
            case JsonTypeInfoKind.Object:
                AddError(path, $"has a value of the wrong type: expected an object {{ ... }}, found {Describe(element)}");
                break;
            case JsonTypeInfoKind.Enumerable:
                AddError(path, $"has a value of the wrong type: expected a list [ ... ], found {Describe(element)}");
                break;
            default:
                CheckValue(element, type, path);
                break;
        }
    }

    private void WalkObject(JsonElement element, JsonTypeInfo typeInfo, string path)
    {
        var seen = new Dictionary<JsonPropertyInfo, string>();
        foreach (var property in element.EnumerateObject())
        {
            var fieldPath = JsonLineIndex.Join(path, property.Name);
            var occurrence = _occurrences[fieldPath] = _occurrences.GetValueOrDefault(fieldPath, -1) + 1;
            var where = LineText(fieldPath, occurrence);
            var field = typeInfo.Properties.FirstOrDefault(p => string.Equals(p.Name, property.Name, StringComparison.OrdinalIgnoreCase));
            if (field is null)
            {
                var suggestion = Closest(property.Name, typeInfo.Properties.Select(p => p.Name));
                _errors.Add(fieldPath, suggestion is null
                    ? $"unknown field{where}; check its spelling against the README's configuration reference"
                    : $"unknown field{where}; did you mean \"{suggestion}\"?");
                continue;
            }

            if (!seen.TryAdd(field, property.Name))
            {
                // The serializer would keep the last value silently; in security settings the
                // reader of the file may well be looking at the other one.
                _errors.Add(fieldPath, $"is given more than once in this object{where}; keep one \"{field.Name}\"");
                continue;
            }

            if (property.Value.ValueKind == JsonValueKind.Null)
            {
                if (!field.IsSetNullable)
                {
                    _errors.Add(fieldPath, $"must not be null{where}; leave the field out to use its default");
                }

                continue;
            }

            Walk(property.Value, field.PropertyType, fieldPath);
        }

        var missing = typeInfo.Properties.Where(p => p.IsRequired && !seen.ContainsKey(p)).Select(p => $"\"{p.Name}\"").ToList();
        if (missing.Count > 0)
        {
            AddError(path, $"needs {string.Join(" and ", missing)}");
        }
    }

    private void CheckValue(JsonElement element, Type type, string path)
    {
        try
        {
            JsonSerializer.Deserialize(element, type, ConfigJson.Options);
        }
        catch (JsonException)
        {
            var valueType = Nullable.GetUnderlyingType(type) ?? type;
            if (valueType.IsEnum)
            {
                var names = Enum.GetNames(valueType);
                var numbers = Enum.GetValues(valueType).Cast<object>().Select(v => Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture));
                var suggestion = element.ValueKind == JsonValueKind.String ? Closest(element.GetString()!, names) : null;
                AddError(path, $"{element.GetRawText()} is not one of {string.Join(", ", names)} (any case, or Qlik's numbers {string.Join(", ", numbers)})"
                    + (suggestion is null ? "" : $"; did you mean \"{suggestion}\"?"));
                return;
            }

            AddError(path, $"has a value of the wrong type: expected {Expected(valueType)}, found {Describe(element)}");
        }
    }

    private void AddError(string path, string message)
    {
        var line = LineText(path, _occurrences.GetValueOrDefault(path, 0));
        _errors.Add(path.Length == 0 ? "(root)" : path, line.Length == 0 ? message : $"{message}{line}");
    }

    private string LineText(string path, int occurrence) =>
        path.Length > 0 && _lines.LineOf(path, occurrence) is { } line ? $" (line {line})" : "";

    private static string Expected(Type type) =>
        type == typeof(int) || type == typeof(long) ? "a whole number"
        : type == typeof(bool) ? "true or false"
        : type == typeof(string) ? "a string in double quotes"
        : type == typeof(double) ? "a number"
        : type.Name;

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => $"the string {element.GetRawText()}",
        JsonValueKind.Number => $"the number {element.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => element.GetRawText(),
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        _ => "null",
    };

    /// <summary>The candidate nearest to a misspelt name, when it is near enough to be the likely intent.</summary>
    private static string? Closest(string name, IEnumerable<string> candidates)
    {
        var best = candidates
            .Select(c => (Candidate: c, Distance: EditDistance(name.ToLowerInvariant(), c.ToLowerInvariant())))
            .OrderBy(c => c.Distance)
            .FirstOrDefault();
        return best.Candidate is not null && best.Distance <= Math.Max(2, name.Length / 3) ? best.Candidate : null;
    }

    private static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
