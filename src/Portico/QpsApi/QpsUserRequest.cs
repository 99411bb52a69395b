using System.Text.Json;
using Portico.Authentication;
using Portico.Http;
using Portico.Logging;

namespace Portico.QpsApi;

/// <summary>
/// The body of Qlik's ticket and session requests: <c>{UserDirectory, UserId, Attributes, TargetId,
/// SessionId}</c>, names matched case-insensitively as Qlik does, Attributes as <c>[{"name": "value"}]</c>.
/// </summary>
internal sealed record QpsUserRequest(string UserDirectory, string UserId, IReadOnlyList<KeyValuePair<string, string>> Attributes, string? TargetId, string? SessionId)
{
    private const int MaxBodyBytes = 64 * 1024;

    private static readonly string[] KnownKeys = ["UserDirectory", "UserId", "Attributes", "TargetId", "SessionId"];

    public static async Task<(QpsUserRequest? Request, string? Error)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is > MaxBodyBytes)
        {
            return (null, $"the body is larger than {MaxBodyBytes} bytes");
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBodyBytes)
            {
                return (null, $"the body is larger than {MaxBodyBytes} bytes");
            }
        }

        try
        {
            using var document = JsonDocument.Parse(buffer.ToArray());
            return Parse(document.RootElement);
        }
        catch (JsonException)
        {
            return (null, "the body is not JSON; send {\"UserDirectory\": \"...\", \"UserId\": \"...\"}");
        }
    }

    internal static (QpsUserRequest? Request, string? Error) Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return (null, "the body must be a JSON object");
        }

        if (!JsonStrings.AreValidUnicode(root))
        {
            return (null, "the body is not valid Unicode: a string or key is not valid UTF-8 or escapes an unpaired surrogate");
        }

        // Names are matched case-insensitively, so "UserId" and "userid" are the same key; a body
        // that gives one twice is refused rather than read as whichever came last.
        if (RepeatedKey(root) is { } repeated)
        {
            return (null, $"the key {repeated} appears more than once (keys are matched case-insensitively)");
        }

        string? directory = null, userId = null, targetId = null, sessionId = null;
        var attributes = new List<KeyValuePair<string, string>>();
        foreach (var property in root.EnumerateObject())
        {
            switch (property.Name.ToUpperInvariant())
            {
                case "USERDIRECTORY":
                    directory = StringOf(property.Value);
                    break;
                case "USERID":
                    userId = StringOf(property.Value);
                    break;
                case "TARGETID":
                    targetId = StringOf(property.Value);
                    break;
                case "SESSIONID":
                    sessionId = StringOf(property.Value);
                    break;
                case "ATTRIBUTES":
                    if (ReadAttributes(property.Value, attributes) is { } attributesError)
                    {
                        return (null, attributesError);
                    }

                    break;
            }
        }

        if (string.IsNullOrWhiteSpace(directory))
        {
            return (null, "UserDirectory is required (a non-empty string)");
        }

        if (string.IsNullOrWhiteSpace(userId))
        {
            return (null, "UserId is required (a non-empty string)");
        }

        var user = UserIdentityRule.CheckUser(directory, "UserDirectory", userId, "UserId");
        if (!user.IsValid)
        {
            return (null, user.Reason);
        }

        return (new QpsUserRequest(directory, userId, attributes, targetId, sessionId), null);
    }

    private static string? StringOf(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The first top-level key given twice (in any case), by its canonical name when it is one of ours.</summary>
    private static string? RepeatedKey(JsonElement root)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in root.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                var known = KnownKeys.FirstOrDefault(k => string.Equals(k, property.Name, StringComparison.OrdinalIgnoreCase));
                return known ?? "\"" + LogValues.Escape(property.Name.Length > 64 ? property.Name[..64] + "…" : property.Name) + "\"";
            }
        }

        return null;
    }

    private static string? ReadAttributes(JsonElement value, List<KeyValuePair<string, string>> attributes)
    {
        const string Shape = "Attributes must be an array of objects with string values, e.g. [{\"Group\": \"Sales\"}]";
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            return Shape;
        }

        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                return Shape;
            }

            foreach (var pair in item.EnumerateObject())
            {
                if (pair.Value.ValueKind != JsonValueKind.String)
                {
                    return Shape;
                }

                var attribute = pair.Value.GetString()!;
                var check = UserIdentityRule.CheckAttributeName(pair.Name, $"Attributes[{index}] name");
                if (check.IsValid)
                {
                    check = UserIdentityRule.CheckAttributeValue(attribute, $"Attributes[{index}] value");
                }

                if (!check.IsValid)
                {
                    return check.Reason;
                }

                attributes.Add(new(pair.Name, attribute));
            }

            index++;
        }

        return null;
    }
}
