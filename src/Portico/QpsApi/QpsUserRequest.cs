using System.Text.Json;

namespace Portico.QpsApi;

/// <summary>
/// The body of Qlik's ticket and session requests: <c>{UserDirectory, UserId, Attributes, TargetId,
/// SessionId}</c>, names matched case-insensitively as Qlik does, Attributes as <c>[{"name": "value"}]</c>.
/// </summary>
internal sealed record QpsUserRequest(string UserDirectory, string UserId, IReadOnlyList<KeyValuePair<string, string>> Attributes, string? TargetId, string? SessionId)
{
    private const int MaxBodyBytes = 64 * 1024;

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
                    if (!TryReadAttributes(property.Value, attributes))
                    {
                        return (null, "Attributes must be an array of objects with string values, e.g. [{\"Group\": \"Sales\"}]");
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

        if (string.Equals(directory, Authentication.AuthenticatedUser.AnonymousDirectory, StringComparison.OrdinalIgnoreCase))
        {
            return (null, "UserDirectory ANONYMOUS is reserved for anonymous access; use the user's real directory");
        }

        if ((directory + userId).Any(char.IsControl))
        {
            return (null, "UserDirectory and UserId must not contain control characters");
        }

        return (new QpsUserRequest(directory, userId, attributes, targetId, sessionId), null);
    }

    private static string? StringOf(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool TryReadAttributes(JsonElement value, List<KeyValuePair<string, string>> attributes)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            foreach (var pair in item.EnumerateObject())
            {
                if (pair.Value.ValueKind != JsonValueKind.String)
                {
                    return false;
                }

                attributes.Add(new(pair.Name, pair.Value.GetString()!));
            }
        }

        return true;
    }
}
