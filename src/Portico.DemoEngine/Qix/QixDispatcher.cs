using System.Text;
using System.Text.Unicode;
using System.Text.Json;
using System.Text.Json.Nodes;
using Portico.DemoEngine.Apps;
using Portico.DemoEngine.Identity;
using Portico.DemoEngine.JsonRpc;

namespace Portico.DemoEngine.Qix;

/// <summary>
/// Turns one JSON-RPC request into its response for a given connection. It knows nothing about
/// sockets, so the whole protocol is testable with strings; the socket loop is only glue around it.
/// </summary>
internal sealed class QixDispatcher
{
    /// <summary>The <c>/app/engineData</c> pseudo app: a connection to the global context only.</summary>
    public const string GlobalContextAppId = "engineData";

    private readonly AppCatalog _catalog;

    public QixDispatcher(AppCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        _catalog = catalog;
    }

    /// <summary>
    /// Starts the state for a new connection. Connecting to <c>/app/&lt;id&gt;</c> opens that app right
    /// away, as the engine does, so <c>GetActiveDoc</c> works without <c>OpenDoc</c>; an app the user
    /// may not see, or that does not exist, is simply not opened and <c>OpenDoc</c> reports why.
    /// </summary>
    public QixConnection CreateConnection(QlikUser user, string? appId)
    {
        var connection = new QixConnection(user);
        if (!string.IsNullOrEmpty(appId)
            && !string.Equals(appId, GlobalContextAppId, StringComparison.OrdinalIgnoreCase)
            && _catalog.Find(appId) is { } app
            && app.IsVisibleTo(user))
        {
            connection.Open(app);
        }

        return connection;
    }

    public string? Dispatch(string json, QixConnection connection) =>
        Dispatch(Encoding.UTF8.GetBytes(json), connection);

    /// <summary>Returns the frame to send back, or <c>null</c> for a notification (a request without id).</summary>
    public string? Dispatch(ReadOnlyMemory<byte> utf8Json, QixConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);

        // JsonDocument accepts invalid UTF-8 inside strings and only fails when they are read;
        // WebSocket text frames are not validated either, so check here once.
        if (!Utf8.IsValid(utf8Json.Span))
        {
            return RpcMessages.ParseError("Invalid UTF-8");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json);
        }
        catch (JsonException)
        {
            return RpcMessages.ParseError("Invalid JSON");
        }

        using (document)
        {
            return Dispatch(document.RootElement, connection);
        }
    }

    private string? Dispatch(JsonElement request, QixConnection connection)
    {
        if (request.ValueKind != JsonValueKind.Object)
        {
            return RpcMessages.Error(null, new RpcException(RpcErrorCodes.InvalidRequest, "Invalid Request", "Request must be an object"));
        }

        var hasId = request.TryGetProperty("id", out var idElement);
        if (hasId && idElement.ValueKind is not (JsonValueKind.Number or JsonValueKind.String or JsonValueKind.Null))
        {
            return RpcMessages.Error(null, new RpcException(RpcErrorCodes.InvalidRequest, "Invalid Request", "id"));
        }

        var id = hasId ? JsonNode.Parse(idElement.GetRawText()) : null;
        if (!request.TryGetProperty("method", out var methodElement) || methodElement.ValueKind != JsonValueKind.String)
        {
            return RpcMessages.Error(id, new RpcException(RpcErrorCodes.InvalidRequest, "Invalid Request", "method"));
        }

        try
        {
            var result = Invoke(methodElement.GetString()!, ReadHandle(request), ReadParams(request), connection);
            var closed = connection.TakeClosedHandles();
            return hasId ? RpcMessages.Result(id, result, closed) : null;
        }
        catch (RpcException error)
        {
            return hasId ? RpcMessages.Error(id, error) : null;
        }
        catch (Exception fault) when (fault is not OutOfMemoryException)
        {
            // A handler fault must cost one error response, never the client's connection.
            return hasId ? RpcMessages.Error(id, new RpcException(RpcErrorCodes.InternalError, "Internal error", fault.GetType().Name)) : null;
        }
    }

    private JsonObject Invoke(string method, int handle, RpcParams parameters, QixConnection connection)
    {
        var call = new QixCall(connection, _catalog, parameters);
        if (handle == QixConnection.GlobalHandle)
        {
            return GlobalMethods.Table.TryGetValue(method, out var global)
                ? global(call)
                : throw RpcException.MethodNotFound(method);
        }

        if (!connection.TryGet(handle, out var target))
        {
            throw RpcException.InvalidHandle(handle);
        }

        return target switch
        {
            OpenDocument doc when DocMethods.Table.TryGetValue(method, out var onDoc) => onDoc(call, doc),
            SessionObject obj when GenericObjectMethods.Table.TryGetValue(method, out var onObject) => onObject(call, obj),
            _ => throw RpcException.MethodNotFound(method),
        };
    }

    // A request without a handle is taken to address Global: hand-written clients often leave it out.
    private static int ReadHandle(JsonElement request)
    {
        if (!request.TryGetProperty("handle", out var handle) || handle.ValueKind == JsonValueKind.Null)
        {
            return QixConnection.GlobalHandle;
        }

        return handle.ValueKind == JsonValueKind.Number && handle.TryGetInt32(out var value)
            ? value
            : throw RpcException.InvalidParams("handle");
    }

    private static RpcParams ReadParams(JsonElement request)
    {
        if (!request.TryGetProperty("params", out var parameters) || parameters.ValueKind == JsonValueKind.Null)
        {
            return RpcParams.None;
        }

        return parameters.ValueKind is JsonValueKind.Array or JsonValueKind.Object
            ? new RpcParams(parameters)
            : throw RpcException.InvalidParams("params");
    }
}
