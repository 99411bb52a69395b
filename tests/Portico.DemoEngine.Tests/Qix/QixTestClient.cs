using System.Text.Json;
using System.Text.Json.Nodes;
using Portico.DemoEngine.Apps;
using Portico.DemoEngine.Identity;
using Portico.DemoEngine.Qix;

namespace Portico.DemoEngine.Tests.Qix;

/// <summary>Drives <see cref="QixDispatcher"/> the way a socket would, one JSON frame at a time.</summary>
internal sealed class QixTestClient
{
    private int _nextId;

    public QixTestClient(QlikUser? user = null, string? appId = null)
    {
        Dispatcher = new QixDispatcher(AppCatalog.BuiltIn);
        Connection = Dispatcher.CreateConnection(user ?? Users.Alice, appId);
    }

    public QixDispatcher Dispatcher { get; }

    public QixConnection Connection { get; }

    /// <summary>Sends a raw frame and parses the reply; fails the test when there is none.</summary>
    public JsonElement Send(string frame)
    {
        var reply = Dispatcher.Dispatch(frame, Connection);
        Assert.NotNull(reply);
        using var document = JsonDocument.Parse(reply);
        return document.RootElement.Clone();
    }

    /// <summary>Sends a request and returns the whole response message.</summary>
    public JsonElement Request(string method, int handle = -1, JsonNode? parameters = null)
    {
        var id = ++_nextId;
        var request = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = id,
            ["method"] = method,
            ["handle"] = handle,
            ["params"] = parameters ?? new JsonArray(),
        };
        var response = Send(request.ToJsonString());
        Assert.Equal(id, response.GetProperty("id").GetInt32());
        return response;
    }

    /// <summary>Sends a request that must succeed and returns its <c>result</c>.</summary>
    public JsonElement Call(string method, int handle = -1, JsonNode? parameters = null)
    {
        var response = Request(method, handle, parameters);
        Assert.False(response.TryGetProperty("error", out var error), $"{method} failed: {error}");
        return response.GetProperty("result");
    }

    /// <summary>Sends a request that must fail and returns its <c>error</c>.</summary>
    public JsonElement CallExpectingError(string method, int handle = -1, JsonNode? parameters = null)
    {
        var response = Request(method, handle, parameters);
        Assert.True(response.TryGetProperty("error", out var error), $"{method} unexpectedly succeeded: {response}");
        return error;
    }

    public int OpenDoc(string appId = SalesDemoApp.Id) =>
        Call("OpenDoc", parameters: new JsonArray(appId)).GetProperty("qReturn").GetProperty("qHandle").GetInt32();

    /// <summary>Opens the app and creates a session object with a straight-table hypercube.</summary>
    public int CreateHyperCube(string[] dimensions, string[] measures, string appId = SalesDemoApp.Id, JsonArray? initialDataFetch = null)
    {
        var doc = Connection.ActiveDocument?.Handle ?? OpenDoc(appId);
        var properties = HyperCubeProperties(dimensions, measures, initialDataFetch);
        return Call("CreateSessionObject", doc, new JsonArray(properties)).GetProperty("qReturn").GetProperty("qHandle").GetInt32();
    }

    public static JsonObject HyperCubeProperties(string[] dimensions, string[] measures, JsonArray? initialDataFetch = null)
    {
        var definition = new JsonObject
        {
            ["qDimensions"] = new JsonArray([.. dimensions.Select(f => new JsonObject { ["qDef"] = new JsonObject { ["qFieldDefs"] = new JsonArray(f) } })]),
            ["qMeasures"] = new JsonArray([.. measures.Select(m => new JsonObject { ["qDef"] = new JsonObject { ["qDef"] = m } })]),
        };
        if (initialDataFetch is not null)
        {
            definition["qInitialDataFetch"] = initialDataFetch;
        }

        return new JsonObject { ["qInfo"] = new JsonObject { ["qType"] = "table" }, ["qHyperCubeDef"] = definition };
    }

    /// <summary>All rows of a hypercube object as (text, number) pairs per cell.</summary>
    public IReadOnlyList<JsonElement[]> FetchRows(int objectHandle, int width, int height = 1000)
    {
        var page = new JsonObject { ["qLeft"] = 0, ["qTop"] = 0, ["qWidth"] = width, ["qHeight"] = height };
        var result = Call("GetHyperCubeData", objectHandle, new JsonArray("/qHyperCubeDef", new JsonArray(page)));
        return [.. result.GetProperty("qDataPages")[0].GetProperty("qMatrix").EnumerateArray().Select(row => row.EnumerateArray().ToArray())];
    }
}
