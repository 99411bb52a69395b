using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json.Nodes;
using Portico.DemoEngine.Apps;
using Portico.DemoEngine.JsonRpc;

namespace Portico.DemoEngine.Qix;

/// <summary>Methods on the Global handle (-1).</summary>
internal static class GlobalMethods
{
    public static FrozenDictionary<string, Func<QixCall, JsonObject>> Table { get; } =
        new Dictionary<string, Func<QixCall, JsonObject>>
        {
            ["EngineVersion"] = _ => new JsonObject { ["qVersion"] = new JsonObject { ["qComponentVersion"] = EngineInfo.Version } },
            ["ProductVersion"] = _ => Return(EngineInfo.Version),
            ["QTProduct"] = _ => Return(EngineInfo.ProductName),
            ["OSName"] = _ => Return("linux"),
            ["IsDesktopMode"] = _ => Return(false),
            ["GetAuthenticatedUser"] = call => Return(call.Connection.User.ToString()),
            ["GetDocList"] = GetDocList,
            ["OpenDoc"] = OpenDoc,
            ["GetActiveDoc"] = GetActiveDoc,
        }.ToFrozenDictionary(StringComparer.Ordinal);

    private static JsonObject Return(JsonNode? value) => new() { ["qReturn"] = value };

    private static JsonObject GetDocList(QixCall call) => new()
    {
        ["qDocList"] = new JsonArray([.. call.Catalog.VisibleTo(call.Connection.User).Select(DocListEntry)]),
    };

    private static JsonObject DocListEntry(DemoApp app) => new()
    {
        ["qDocName"] = app.Id,
        ["qConnectedUsers"] = 0,
        ["qFileTime"] = app.LastReloadTime.UtcDateTime.ToOADate(),
        ["qFileSize"] = app.Table.Rows.Count * app.Table.FieldNames.Count * 16,
        ["qDocId"] = app.Id,
        ["qMeta"] = new JsonObject { ["description"] = app.Description },
        ["qLastReloadTime"] = app.LastReloadTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        ["qTitle"] = app.Title,
        ["qThumbnail"] = new JsonObject { ["qUrl"] = string.Empty },
    };

    /// <summary>
    /// A connection holds one app. Opening it again returns the same handle (clients retry OpenDoc
    /// freely); opening a second, different app fails the way Qlik's engine does.
    /// </summary>
    private static JsonObject OpenDoc(QixCall call)
    {
        var docName = call.Params.GetRequiredString(0, "qDocName");
        if (string.IsNullOrWhiteSpace(docName))
        {
            throw RpcException.InvalidParams("qDocName");
        }

        var app = call.Catalog.Find(docName) ?? throw new RpcException(QixErrorCodes.AppNotFound, "App not found", docName);
        if (!app.IsVisibleTo(call.Connection.User))
        {
            throw new RpcException(QixErrorCodes.AccessDenied, "Access denied", docName);
        }

        var open = call.Connection.ActiveDocument;
        if (open is not null)
        {
            return open.App == app
                ? Return(open.Describe())
                : throw new RpcException(QixErrorCodes.AppAlreadyOpen, "App already open", open.App.Id);
        }

        return Return(call.Connection.Open(app).Describe());
    }

    private static JsonObject GetActiveDoc(QixCall call) =>
        call.Connection.ActiveDocument is { } open
            ? Return(open.Describe())
            : throw new RpcException(QixErrorCodes.AppNotOpen, "App not open");
}
