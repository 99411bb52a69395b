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

        // Named so that the shape check can ask for type metadata before anything was deserialized.
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
    };

    /// <summary>The syntax <see cref="Options"/> accepts (comments, trailing commas), for reading a file before it is deserialized.</summary>
    public static JsonDocumentOptions DocumentOptions { get; } = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };
}
