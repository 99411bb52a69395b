using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Portico.Audit;

/// <summary>
/// One event as one JSON line. The writer's default encoder escapes every control and non-ASCII
/// character, so a user id, origin or reason can neither end the line nor add a field.
/// </summary>
internal static class AuditJson
{
    private static readonly byte[] Newline = "\n"u8.ToArray();

    public static void WriteLine(IBufferWriter<byte> output, AuditEvent audited, SessionIdHash sessionIds)
    {
        using (var json = new Utf8JsonWriter(output))
        {
            json.WriteStartObject();
            json.WriteString("time", audited.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            json.WriteString("event", audited.Code);
            json.WriteString("outcome", audited.Outcome switch
            {
                AuditOutcome.Success => "success",
                AuditOutcome.Failure => "failure",
                _ => "info",
            });
            WriteIfSet(json, "virtualProxy", audited.VirtualProxy);
            WriteIfSet(json, "userDirectory", audited.UserDirectory);
            WriteIfSet(json, "userId", audited.UserId);
            WriteIfSet(json, "method", audited.Method);
            WriteIfSet(json, "session", audited.SessionId is { } id ? sessionIds.Of(id) : null);
            WriteIfSet(json, "client", audited.Client);
            WriteIfSet(json, "origin", audited.Origin);
            WriteIfSet(json, "reason", audited.Reason);
            WriteIfSet(json, "detail", audited.Detail);
            if (audited.Errors is { } errors)
            {
                json.WriteStartArray("errors");
                foreach (var error in errors)
                {
                    json.WriteStringValue(error);
                }

                json.WriteEndArray();
            }

            WriteIfSet(json, "actor", audited.Actor);
            WriteNodeIfSet(json, "before", audited.Before);
            WriteNodeIfSet(json, "after", audited.After);
            if (audited.Version is { } version)
            {
                json.WriteNumber("version", version);
            }

            if (audited.WindowSeconds is { } window)
            {
                json.WriteNumber("count", audited.Count);
                json.WriteNumber("windowSeconds", window);
            }

            json.WriteEndObject();
        }

        output.Write(Newline);
    }

    private static void WriteNodeIfSet(Utf8JsonWriter json, string name, System.Text.Json.Nodes.JsonNode? value)
    {
        if (value is not null)
        {
            json.WritePropertyName(name);
            value.WriteTo(json);
        }
    }

    private static void WriteIfSet(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }
}
