using System.Text.Json;

namespace Portico.Configuration;

/// <summary>Reads configuration JSON and validates it; the result is either a valid config or every error found.</summary>
internal static class ConfigLoader
{
    public static ConfigLoadResult LoadFile(string path)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(fullPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ConfigLoadResult.Failed(new ConfigError("(file)", $"cannot read '{fullPath}': {ex.Message}"));
        }

        // Editors on Windows may save UTF-8 with a byte order mark, which is not JSON.
        var text = System.Text.Encoding.UTF8.GetString(bytes.AsSpan().StartsWith((byte[])[0xEF, 0xBB, 0xBF]) ? bytes.AsSpan(3) : bytes);
        var result = Parse(text, System.IO.Path.GetDirectoryName(fullPath)!);
        return result with { ContentHash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes)) };
    }

    /// <param name="baseDirectory">Folder that relative paths in the config are resolved against.</param>
    public static ConfigLoadResult Parse(string json, string baseDirectory)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, ConfigJson.DocumentOptions);
        }
        catch (JsonException ex)
        {
            return ConfigLoadResult.Failed(new ConfigError(DisplayPath(ex.Path), DescribeJsonError(ex)));
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return ConfigLoadResult.Failed(new ConfigError("(root)", "the file holds no configuration object; write { \"virtualProxies\": [ ... ] }"));
            }

            // Every reading error of the whole file at once; the rules then judge a config that was read as written.
            var shapeErrors = ConfigJsonShape.Check(document.RootElement, JsonLineIndex.Build(System.Text.Encoding.UTF8.GetBytes(json)));
            if (shapeErrors.Count > 0)
            {
                return new ConfigLoadResult(null, "", shapeErrors);
            }

            PorticoConfig? config;
            try
            {
                config = document.Deserialize<PorticoConfig>(ConfigJson.Options);
            }
            catch (JsonException ex)
            {
                return ConfigLoadResult.Failed(new ConfigError(DisplayPath(ex.Path), DescribeJsonError(ex)));
            }

            return config is null
                ? ConfigLoadResult.Failed(new ConfigError("(root)", "the file holds no configuration object; write { \"virtualProxies\": [ ... ] }"))
                : Validate(config, baseDirectory);
        }
    }

    public static ConfigLoadResult Validate(PorticoConfig config, string baseDirectory)
    {
        var errors = new ConfigValidator(baseDirectory).Validate(config);
        return errors.Count == 0
            ? ConfigLoadResult.Succeeded(config, baseDirectory)
            : new ConfigLoadResult(null, baseDirectory, errors);
    }

    private static string DisplayPath(string? jsonPath)
    {
        if (string.IsNullOrEmpty(jsonPath) || jsonPath == "$")
        {
            return "(root)";
        }

        return jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath;
    }

    private static string DescribeJsonError(JsonException ex)
    {
        var where = ex.LineNumber is { } line ? $" (line {line + 1})" : "";
        var message = ex.Message;
        if (message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            return $"unknown field{where}; check its spelling against the README's configuration reference";
        }

        if (message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return $"has a value of the wrong type{where}; see the README's configuration reference for what it takes";
        }

        if (message.Contains("null values", StringComparison.OrdinalIgnoreCase) || message.Contains("nullability", StringComparison.OrdinalIgnoreCase))
        {
            return $"must not be null{where}; leave the field out to use its default";
        }

        // Syntax errors: the parser's own words name the character; its position is given as a line and column.
        var firstSentence = message.Split([". Path:", " LineNumber:"], 2, StringSplitOptions.None)[0].TrimEnd('.', ' ');
        var column = ex.LineNumber is not null && ex.BytePositionInLine is { } position ? $" (line {ex.LineNumber + 1}, column {position + 1})" : where;
        return $"{firstSentence}{column}";
    }
}

internal sealed record ConfigLoadResult(PorticoConfig? Config, string BaseDirectory, IReadOnlyList<ConfigError> Errors)
{
    /// <summary>SHA-256 of the file the config was read from; null when it did not come from a file.</summary>
    public string? ContentHash { get; init; }

    public bool IsValid => Config is not null && Errors.Count == 0;

    public static ConfigLoadResult Succeeded(PorticoConfig config, string baseDirectory) => new(config, baseDirectory, []);

    public static ConfigLoadResult Failed(ConfigError error) => new(null, "", [error]);
}
