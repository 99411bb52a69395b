using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Portico.Configuration;

namespace Portico.Admin;

/// <summary>
/// Between Qlik's QRS <c>VirtualProxyConfig</c> entity and a virtual proxy object of Portico's
/// configuration. Portico's field names are Qlik's, so most fields pass through; the differences
/// are the bookkeeping (id, dates), Qlik's enum numbers, and Qlik fields Portico does not
/// implement, which are kept in <c>qlikFieldsNotApplied</c> and returned again, never applied.
/// Which fields are applied is read from <see cref="VirtualProxyConfig"/> itself, so a field added
/// there is applied through the API too. See docs/admin-api.md.
/// </summary>
internal static class QrsVirtualProxyMapping
{
    public const string IdField = "id";
    public const string CreatedDateField = "createdDate";
    public const string ModifiedDateField = "modifiedDate";
    public const string ModifiedByField = "modifiedByUserName";
    public const string KeptField = "qlikFieldsNotApplied";
    public const string LoadBalancingField = "loadBalancingServerNodes";

    /// <summary>Set by the server in QRS; what a client sends for them is ignored (modifiedDate is read by the conflict check).</summary>
    private static readonly HashSet<string> ServerManaged = new(StringComparer.OrdinalIgnoreCase)
    {
        IdField, CreatedDateField, ModifiedDateField, ModifiedByField, "schemaPath", "privileges",
    };

    private static readonly JsonTypeInfo VirtualProxyInfo = ConfigJson.Options.GetTypeInfo(typeof(VirtualProxyConfig));

    /// <summary>Writes enums as Qlik's numbers, as the QRS does.</summary>
    private static readonly JsonSerializerOptions EntityOptions = EntityOptionsOf();

    private static readonly JsonObject Defaults = JsonSerializer.SerializeToNode(new VirtualProxyConfig(), ConfigJson.Options)!.AsObject();

    /// <summary>The fields Portico applies (every field of a configured virtual proxy but the bookkeeping).</summary>
    public static IEnumerable<string> AppliedFields => VirtualProxyInfo.Properties.Select(p => p.Name).Where(n => !IsBookkeeping(n));

    public static JsonObject ToEntity(VirtualProxyConfig vp, QrsEntityMeta meta)
    {
        var fields = JsonSerializer.SerializeToNode(vp, EntityOptions)!.AsObject();
        var entity = new JsonObject
        {
            [IdField] = meta.Id.ToString("D"),
            [CreatedDateField] = QrsEntityMeta.Format(meta.CreatedDate),
            [ModifiedDateField] = QrsEntityMeta.Format(meta.ModifiedDate),
            [ModifiedByField] = meta.ModifiedByUserName,
            ["schemaPath"] = "VirtualProxyConfig",
        };
        foreach (var (name, value) in fields)
        {
            if (!IsBookkeeping(name))
            {
                entity[name] = value?.DeepClone();
            }
        }

        foreach (var (name, value) in vp.QlikFieldsNotApplied ?? new Dictionary<string, JsonElement>())
        {
            entity.TryAdd(name, JsonSerializer.SerializeToNode(value));
        }

        return entity;
    }

    /// <summary>QRS's condensed form, as <c>GET /qrs/virtualproxyconfig</c> lists it.</summary>
    public static JsonObject Condensed(JsonObject entity)
    {
        var condensed = new JsonObject();
        foreach (var name in (string[])[IdField, "prefix", "description", "authenticationMethod", "anonymousAccessMode"])
        {
            condensed[name] = entity[name]?.DeepClone();
        }

        condensed["privileges"] = null;
        return condensed;
    }

    /// <summary>
    /// The virtual proxy object to store for <paramref name="body"/>. With <paramref name="existing"/>
    /// (a PUT), fields the body leaves out keep their value and a field sent as null returns to its
    /// default; the admin's spelling, order and way of writing a value (an enum's name rather than
    /// its number) are kept wherever the value did not change. Without it (a POST), defaults are
    /// left out, as an admin would write the object by hand.
    /// </summary>
    public static JsonObject ToConfigObject(JsonObject body, JsonObject? existing, QrsEntityMeta meta, List<ConfigError> errors, string path)
    {
        var result = new JsonObject();
        var given = new Dictionary<string, (string Name, JsonNode? Value)>(StringComparer.OrdinalIgnoreCase);
        var kept = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (name, value) in existing?[KeptField] as JsonObject ?? [])
        {
            kept[name] = value?.DeepClone();
        }

        foreach (var (name, value) in body)
        {
            if (ServerManaged.Contains(name))
            {
                continue;
            }

            if (string.Equals(name, KeptField, StringComparison.OrdinalIgnoreCase))
            {
                // A client that echoes the stored form back: its entries are Qlik fields like any other.
                foreach (var (keptName, keptValue) in value as JsonObject ?? [])
                {
                    AddKept(kept, keptName, keptValue);
                }

                continue;
            }

            var property = Property(name);
            if (property is null)
            {
                AddKept(kept, name, value);
                continue;
            }

            var field = property.Name;
            var fieldValue = value is not null && string.Equals(field, LoadBalancingField, StringComparison.Ordinal)
                ? ServerNodes(value, $"{path}.{field}", errors)
                : value;
            given[field] = (field, fieldValue is null ? null : Normalize(fieldValue, property.PropertyType));
        }

        result[IdField] = meta.Id.ToString("D");
        foreach (var (name, value) in existing ?? [])
        {
            var property = Property(name);
            if (property is null || IsBookkeeping(property.Name))
            {
                continue;
            }

            if (!given.Remove(property.Name, out var change))
            {
                result[name] = value?.DeepClone();
            }
            else if (change.Value is not null)
            {
                result[name] = value is not null && SameValue(value, change.Value, property.PropertyType) ? value.DeepClone() : change.Value;
            }
        }

        foreach (var (name, value) in given.Values)
        {
            // A field the stored object lacks, sent with its default value (a client echoing a whole
            // entity back), means what its absence means: the file is not filled with defaults.
            if (value is not null && !IsDefault(name, value))
            {
                result[name] = value;
            }
        }

        result[CreatedDateField] = meta.CreatedDate;
        result[ModifiedDateField] = meta.ModifiedDate;
        result[ModifiedByField] = meta.ModifiedByUserName;
        if (kept.Count > 0)
        {
            var keptObject = new JsonObject();
            foreach (var (name, value) in kept.OrderBy(k => k.Key, StringComparer.Ordinal))
            {
                keptObject[name] = value;
            }

            result[KeptField] = keptObject;
        }

        return result;
    }

    private static void AddKept(Dictionary<string, JsonNode?> kept, string name, JsonNode? value)
    {
        // Sent as null: Qlik's way of clearing a field, so it is not kept either.
        if (value is null)
        {
            kept.Remove(name);
        }
        else
        {
            kept[name] = value.DeepClone();
        }
    }

    /// <summary>
    /// Qlik lists server node references here; Portico balances over engine URLs. A reference whose
    /// hostName is an engine URL (as <c>GET /qrs/servernodeconfiguration</c> lists Portico's nodes)
    /// stands for that URL; any other reference is an error.
    /// </summary>
    private static JsonNode ServerNodes(JsonNode value, string path, List<ConfigError> errors)
    {
        if (value is not JsonArray nodes)
        {
            return value;
        }

        var urls = new JsonArray();
        for (var i = 0; i < nodes.Count; i++)
        {
            if (nodes[i] is JsonObject reference)
            {
                var hostName = reference.FirstOrDefault(p => string.Equals(p.Key, "hostName", StringComparison.OrdinalIgnoreCase)).Value;
                if (hostName is JsonValue host && host.TryGetValue<string>(out var url) && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
                {
                    urls.Add(url);
                    continue;
                }

                errors.Add(new ConfigError($"{path}[{i}]", "is a Qlik server node reference without an engine URL; write the engine's URL, e.g. \"https://engine.example.com:4747\""));
                continue;
            }

            urls.Add(nodes[i]?.DeepClone());
        }

        return urls;
    }

    private static JsonPropertyInfo? Property(string name) =>
        VirtualProxyInfo.Properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    private static bool IsBookkeeping(string name) =>
        string.Equals(name, IdField, StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, CreatedDateField, StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, ModifiedDateField, StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, ModifiedByField, StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, KeptField, StringComparison.OrdinalIgnoreCase);

    /// <summary>The value as the configuration file writes it (an enum by name); as given when it does not fit, so validation names it.</summary>
    private static JsonNode Normalize(JsonNode value, Type type)
    {
        try
        {
            var typed = value.Deserialize(type, ConfigJson.Options);
            return JsonSerializer.SerializeToNode(typed, type, ConfigJson.Options) ?? value.DeepClone();
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            return value.DeepClone();
        }
    }

    private static bool SameValue(JsonNode a, JsonNode b, Type type) =>
        JsonNode.DeepEquals(Normalize(a, type), Normalize(b, type));

    private static bool IsDefault(string field, JsonNode value) =>
        Defaults.TryGetPropertyValue(field, out var fallback) && JsonNode.DeepEquals(fallback, value);

    private static JsonSerializerOptions EntityOptionsOf()
    {
        var options = new JsonSerializerOptions(ConfigJson.Options);
        options.Converters.Clear();
        options.MakeReadOnly();
        return options;
    }
}
