using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portico.DemoEngine.Tests.Qix;

public sealed class DocMethodsTests
{
    [Fact]
    public void GetAppLayout_OpenApp_ReturnsTitleAndFileName()
    {
        var client = new QixTestClient();
        var doc = client.OpenDoc();

        var layout = client.Call("GetAppLayout", doc).GetProperty("qLayout");

        Assert.Equal("Sales Demo", layout.GetProperty("qTitle").GetString());
        Assert.Equal("Sales Demo.qvf", layout.GetProperty("qFileName").GetString());
        Assert.True(layout.GetProperty("qHasScript").GetBoolean());
    }

    [Fact]
    public void CreateSessionObject_WithIdAndType_ReturnsGenericObjectHandle()
    {
        var client = new QixTestClient();
        var doc = client.OpenDoc();
        var properties = new JsonObject { ["qInfo"] = new JsonObject { ["qId"] = "kpi-1", ["qType"] = "kpi" } };

        var handle = client.Call("CreateSessionObject", doc, new JsonArray(properties)).GetProperty("qReturn");

        Assert.Equal("GenericObject", handle.GetProperty("qType").GetString());
        Assert.Equal("kpi", handle.GetProperty("qGenericType").GetString());
        Assert.Equal("kpi-1", handle.GetProperty("qGenericId").GetString());
        Assert.NotEqual(doc, handle.GetProperty("qHandle").GetInt32());
    }

    [Fact]
    public void CreateSessionObject_NamedParamWithoutId_GeneratesId()
    {
        var client = new QixTestClient();
        var doc = client.OpenDoc();
        var properties = new JsonObject { ["qInfo"] = new JsonObject { ["qType"] = "table" } };

        var handle = client.Call("CreateSessionObject", doc, new JsonObject { ["qProp"] = properties }).GetProperty("qReturn");

        Assert.False(string.IsNullOrEmpty(handle.GetProperty("qGenericId").GetString()));
    }

    [Fact]
    public void CreateSessionObject_DuplicateId_ReturnsAlreadyExists()
    {
        var client = new QixTestClient();
        var doc = client.OpenDoc();
        JsonArray Properties() => new(new JsonObject { ["qInfo"] = new JsonObject { ["qId"] = "same", ["qType"] = "x" } });
        client.Call("CreateSessionObject", doc, Properties());

        var error = client.CallExpectingError("CreateSessionObject", doc, Properties());

        Assert.Equal(3, error.GetProperty("code").GetInt32());
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("[\"text\"]")]
    [InlineData("[{\"qInfo\":\"x\"}]")]
    [InlineData("[{\"qInfo\":{\"qType\":1}}]")]
    public void CreateSessionObject_BadProperties_ReturnsInvalidParams(string parameters)
    {
        var client = new QixTestClient();
        var doc = client.OpenDoc();

        var error = client.CallExpectingError("CreateSessionObject", doc, JsonNode.Parse(parameters));

        Assert.Equal(-32602, error.GetProperty("code").GetInt32());
    }

    [Theory]
    [InlineData("Nope", "Sum(Sales)")]
    [InlineData("Region", "Sum(Nope)")]
    [InlineData("Region", "Sales * 2")]
    [InlineData("=Region & 'x'", "Sum(Sales)")]
    public void CreateSessionObject_HyperCubeTheAppCannotEvaluate_ReturnsInvalidDefinition(string dimension, string measure)
    {
        var client = new QixTestClient();
        var doc = client.OpenDoc();

        var error = client.CallExpectingError("CreateSessionObject", doc, new JsonArray(QixTestClient.HyperCubeProperties([dimension], [measure])));

        Assert.Equal(7000, error.GetProperty("code").GetInt32());
        Assert.Empty(client.Connection.SessionObjects);
    }

    [Fact]
    public void GetObject_ExistingSessionObject_ReturnsItsHandle()
    {
        var client = new QixTestClient();
        var doc = client.OpenDoc();
        var created = client.Call("CreateSessionObject", doc, new JsonArray(new JsonObject { ["qInfo"] = new JsonObject { ["qId"] = "obj", ["qType"] = "t" } }));

        var found = client.Call("GetObject", doc, new JsonArray("obj"));

        Assert.Equal(created.ToString(), found.ToString());
    }

    [Fact]
    public void GetObject_UnknownId_ReturnsNullHandleLikeQlik()
    {
        var client = new QixTestClient();
        var doc = client.OpenDoc();

        var found = client.Call("GetObject", doc, new JsonObject { ["qId"] = "missing" }).GetProperty("qReturn");

        Assert.Equal(JsonValueKind.Null, found.GetProperty("qHandle").ValueKind);
        Assert.Equal(JsonValueKind.Null, found.GetProperty("qType").ValueKind);
    }

    [Fact]
    public void DestroySessionObject_ExistingObject_ClosesItsHandle()
    {
        var client = new QixTestClient();
        var doc = client.OpenDoc();
        var handle = client.Call("CreateSessionObject", doc, new JsonArray(new JsonObject { ["qInfo"] = new JsonObject { ["qId"] = "gone", ["qType"] = "t" } }))
            .GetProperty("qReturn").GetProperty("qHandle").GetInt32();

        var response = client.Request("DestroySessionObject", doc, new JsonArray("gone"));

        Assert.True(response.GetProperty("result").GetProperty("qSuccess").GetBoolean());
        Assert.Equal([handle], response.GetProperty("close").EnumerateArray().Select(h => h.GetInt32()));
        Assert.Equal(-32602, client.CallExpectingError("GetLayout", handle).GetProperty("code").GetInt32());
    }

    [Fact]
    public void DestroySessionObject_UnknownId_ReportsNoSuccess()
    {
        var client = new QixTestClient();
        var doc = client.OpenDoc();

        var result = client.Call("DestroySessionObject", doc, new JsonArray("missing"));

        Assert.False(result.GetProperty("qSuccess").GetBoolean());
    }
}
