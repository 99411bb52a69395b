using System.Text.Json.Nodes;

namespace Portico.Admin;

/// <summary>One field that a change sets: its value before and after (null: absent).</summary>
internal sealed record FieldChange(string Field, JsonNode? Before, JsonNode? After);

/// <summary>
/// What a change does to one virtual proxy, field by field, for a dry run and the audit log; and the
/// entity as the API shows it, with secrets write-only (docs/admin-api.md).
/// </summary>
internal static class EntityDiff
{
    /// <summary>Fields whose values are secrets: never returned in a diff or written to the audit log.</summary>
    public static bool IsSecret(string field) =>
        field.Contains("secret", StringComparison.OrdinalIgnoreCase) || field.Contains("password", StringComparison.OrdinalIgnoreCase);

    /// <summary>What the API shows instead of a secret; sent back in a write, it means "unchanged".</summary>
    public const string Redacted = "(redacted)";

    /// <param name="before">Null for a creation.</param>
    /// <param name="after">Null for a deletion.</param>
    public static IReadOnlyList<FieldChange> Of(JsonObject? before, JsonObject? after)
    {
        var changes = new List<FieldChange>();
        var names = (before?.Select(p => p.Key) ?? []).Concat(after?.Select(p => p.Key) ?? []).Distinct(StringComparer.Ordinal);
        foreach (var name in names)
        {
            // The bookkeeping changes on every write; it says nothing about the change.
            if (name is QrsVirtualProxyMapping.ModifiedDateField or QrsVirtualProxyMapping.ModifiedByField)
            {
                continue;
            }

            var old = before?[name];
            var @new = after?[name];
            if (!JsonNode.DeepEquals(old, @new))
            {
                changes.Add(IsSecret(name)
                    ? new FieldChange(name, old is null ? null : Redacted, @new is null ? null : Redacted)
                    : new FieldChange(name, old?.DeepClone(), @new?.DeepClone()));
            }
        }

        return changes;
    }

    /// <summary>The entity as the audit log keeps it: secrets replaced.</summary>
    public static JsonObject? Redact(JsonObject? entity)
    {
        if (entity is null)
        {
            return null;
        }

        var copy = new JsonObject();
        foreach (var (name, value) in entity)
        {
            copy[name] = IsSecret(name) && value is not null ? Redacted : value?.DeepClone();
        }

        return copy;
    }

    /// <summary>
    /// A write's body without the secrets it only echoes back: a client that reads an entity and
    /// writes it whole again sends the placeholder, which must neither become the secret nor erase it.
    /// </summary>
    public static JsonObject WithoutPlaceholders(JsonObject body)
    {
        foreach (var name in body.Select(p => p.Key).Where(IsSecret).ToList())
        {
            if (body[name] is JsonValue value && value.TryGetValue<string>(out var text) && text == Redacted)
            {
                body.Remove(name);
            }
        }

        return body;
    }

    public static JsonArray ToJson(IReadOnlyList<FieldChange> changes) =>
        [.. changes.Select(c => (JsonNode)new JsonObject { ["field"] = c.Field, ["before"] = c.Before?.DeepClone(), ["after"] = c.After?.DeepClone() })];
}
