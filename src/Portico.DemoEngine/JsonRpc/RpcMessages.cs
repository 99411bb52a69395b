using System.Text.Json.Nodes;

namespace Portico.DemoEngine.JsonRpc;

/// <summary>Builds the frames the engine sends: responses, errors and notifications.</summary>
internal static class RpcMessages
{
    public static string Result(JsonNode? id, JsonObject result, IReadOnlyList<int> closedHandles)
    {
        var message = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = id,
            ["result"] = result,
        };

        // enigma.js reads "close" to emit 'closed' on the API objects of handles the call released.
        if (closedHandles.Count > 0)
        {
            message["close"] = new JsonArray([.. closedHandles.Select(handle => JsonValue.Create(handle))]);
        }

        return message.ToJsonString();
    }

    public static string Error(JsonNode? id, RpcException error)
    {
        var body = new JsonObject
        {
            ["code"] = error.Code,
            ["message"] = error.Message,
        };
        if (error.Parameter is not null)
        {
            body["parameter"] = error.Parameter;
        }

        return new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = id,
            ["error"] = body,
        }.ToJsonString();
    }

    public static string ParseError(string detail) =>
        Error(null, new RpcException(RpcErrorCodes.ParseError, "Parse error", detail));

    public static string Notification(string method, JsonObject parameters) =>
        new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["method"] = method,
            ["params"] = parameters,
        }.ToJsonString();
}
