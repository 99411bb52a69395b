using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portico.Configuration;

/// <summary>How configuration JSON is read and written everywhere (file, admin API, tests).</summary>
internal static class ConfigJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        // A misspelt field in security configuration must not be silently ignored.
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
        // Qlik's enum fields accept their numbers as well as readable names.
        Converters = { new JsonStringEnumConverter() },
    };
}
