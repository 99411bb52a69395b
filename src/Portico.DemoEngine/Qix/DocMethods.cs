using System.Collections.Frozen;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Portico.DemoEngine.HyperCubes;
using Portico.DemoEngine.JsonRpc;

namespace Portico.DemoEngine.Qix;

/// <summary>Methods on a Doc handle.</summary>
internal static class DocMethods
{
    private const string IdAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    public static FrozenDictionary<string, Func<QixCall, OpenDocument, JsonObject>> Table { get; } =
        new Dictionary<string, Func<QixCall, OpenDocument, JsonObject>>
        {
            ["GetAppLayout"] = (_, doc) => GetAppLayout(doc),
            ["GetAppProperties"] = (_, doc) => GetAppProperties(doc),
            ["CreateSessionObject"] = CreateSessionObject,
            ["GetObject"] = GetObject,
            ["DestroySessionObject"] = DestroySessionObject,
        }.ToFrozenDictionary(StringComparer.Ordinal);

    private static JsonObject GetAppLayout(OpenDocument doc) => new()
    {
        ["qLayout"] = new JsonObject
        {
            ["qTitle"] = doc.App.Title,
            ["qFileName"] = doc.App.Id,
            ["qLastReloadTime"] = doc.App.LastReloadTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["qModified"] = false,
            ["qHasScript"] = true,
            ["qStateNames"] = new JsonArray(),
            ["qMeta"] = new JsonObject { ["description"] = doc.App.Description },
            ["qHasData"] = true,
            ["qReadOnly"] = false,
            ["qIsOpenedWithoutData"] = false,
            ["qIsSessionApp"] = false,
            ["qThumbnail"] = new JsonObject { ["qUrl"] = string.Empty },
            ["qUsage"] = "ANALYTICS",
            ["description"] = doc.App.Description,
        },
    };

    private static JsonObject GetAppProperties(OpenDocument doc) => new()
    {
        ["qProp"] = new JsonObject
        {
            ["qTitle"] = doc.App.Title,
            ["qThumbnail"] = new JsonObject { ["qUrl"] = string.Empty },
            ["qHasSectionAccess"] = false,
            ["description"] = doc.App.Description,
        },
    };

    /// <summary>
    /// Accepts any generic object properties. A <c>qHyperCubeDef</c> is validated now rather than at
    /// <c>GetLayout</c>, so a bad field name fails the call that introduced it.
    /// </summary>
    private static JsonObject CreateSessionObject(QixCall call, OpenDocument doc)
    {
        var prop = call.Params.GetRequiredObject(0, "qProp");
        var properties = JsonNode.Parse(prop.GetRawText())!.AsObject();

        var info = properties["qInfo"] switch
        {
            null => new JsonObject(),
            JsonObject existing => existing,
            _ => throw RpcException.InvalidParams("qInfo"),
        };
        var type = ReadString(info, "qType");
        var id = ReadString(info, "qId");
        if (id.Length == 0)
        {
            id = RandomNumberGenerator.GetString(IdAlphabet, 6);
        }
        else if (call.Connection.SessionObjects.Any(existing => existing.Document == doc && existing.GenericId == id))
        {
            throw new RpcException(QixErrorCodes.AlreadyExists, "Object already exists", id);
        }

        info["qId"] = id;
        info["qType"] = type;
        properties["qInfo"] = info;

        var hyperCube = prop.TryGetProperty(HyperCubeDefinition.PropertyName, out var definition)
            ? HyperCubeDefinition.Parse(definition, doc.App.Table)
            : null;

        var created = call.Connection.Add(handle => new SessionObject(handle, type, id, doc, properties, hyperCube));
        return new JsonObject { ["qReturn"] = created.Describe() };
    }

    /// <summary>
    /// An unknown id is not an error: like Qlik's engine, the reply carries null handle and type,
    /// which enigma.js turns into its own "Object not found" rejection.
    /// </summary>
    private static JsonObject GetObject(QixCall call, OpenDocument doc)
    {
        var id = call.Params.GetRequiredString(0, "qId");
        var found = Find(call.Connection, doc, id);
        return new JsonObject
        {
            ["qReturn"] = found?.Describe() ?? new JsonObject
            {
                ["qType"] = null,
                ["qHandle"] = null,
                ["qGenericId"] = null,
            },
        };
    }

    private static JsonObject DestroySessionObject(QixCall call, OpenDocument doc)
    {
        var id = call.Params.GetRequiredString(0, "qId");
        var found = Find(call.Connection, doc, id);
        if (found is not null)
        {
            call.Connection.Close(found);
        }

        return new JsonObject { ["qSuccess"] = found is not null };
    }

    private static SessionObject? Find(QixConnection connection, OpenDocument doc, string id) =>
        connection.SessionObjects.FirstOrDefault(o => o.Document == doc && o.GenericId == id);

    private static string ReadString(JsonObject info, string property) =>
        info[property] switch
        {
            null => string.Empty,
            JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
            _ => throw RpcException.InvalidParams("qInfo." + property),
        };
}
