using System.Text.Json.Nodes;

namespace Portico.DemoEngine.Tests.Qix;

public sealed class GenericObjectMethodsTests
{
    [Fact]
    public void GetLayout_HyperCubeObject_DescribesComputedCube()
    {
        var client = new QixTestClient();
        var handle = client.CreateHyperCube(["Region"], ["Sum(Sales)"]);

        var layout = client.Call("GetLayout", handle).GetProperty("qLayout");

        Assert.False(layout.TryGetProperty("qHyperCubeDef", out _));
        Assert.Equal("table", layout.GetProperty("qInfo").GetProperty("qType").GetString());
        var cube = layout.GetProperty("qHyperCube");
        Assert.Equal(2, cube.GetProperty("qSize").GetProperty("qcx").GetInt32());
        Assert.Equal(4, cube.GetProperty("qSize").GetProperty("qcy").GetInt32());
        var dimension = Assert.Single(cube.GetProperty("qDimensionInfo").EnumerateArray());
        Assert.Equal("Region", dimension.GetProperty("qFallbackTitle").GetString());
        Assert.Equal(4, dimension.GetProperty("qCardinal").GetInt32());
        var measure = Assert.Single(cube.GetProperty("qMeasureInfo").EnumerateArray());
        Assert.Equal("Sum(Sales)", measure.GetProperty("qFallbackTitle").GetString());
        Assert.Equal(187666, measure.GetProperty("qMin").GetDouble());
        Assert.Equal(255081, measure.GetProperty("qMax").GetDouble());
        Assert.Equal(924021, cube.GetProperty("qGrandTotalRow")[0].GetProperty("qNum").GetDouble());
        Assert.Empty(cube.GetProperty("qDataPages").EnumerateArray());
    }

    [Fact]
    public void GetLayout_InitialDataFetch_FillsDataPages()
    {
        var client = new QixTestClient();
        var fetch = new JsonArray(new JsonObject { ["qLeft"] = 0, ["qTop"] = 1, ["qWidth"] = 2, ["qHeight"] = 2 });
        var handle = client.CreateHyperCube(["Region"], ["Sum(Sales)"], initialDataFetch: fetch);

        var page = Assert.Single(client.Call("GetLayout", handle).GetProperty("qLayout").GetProperty("qHyperCube").GetProperty("qDataPages").EnumerateArray());

        var regions = page.GetProperty("qMatrix").EnumerateArray().Select(row => row[0].GetProperty("qText").GetString());
        Assert.Equal(["APAC", "DACH"], regions);
        Assert.Equal(1, page.GetProperty("qArea").GetProperty("qTop").GetInt32());
    }

    [Fact]
    public void GetLayout_ObjectWithoutHyperCube_EchoesProperties()
    {
        var client = new QixTestClient();
        var doc = client.OpenDoc();
        var properties = new JsonObject { ["qInfo"] = new JsonObject { ["qType"] = "note" }, ["text"] = "hello" };
        var handle = client.Call("CreateSessionObject", doc, new JsonArray(properties)).GetProperty("qReturn").GetProperty("qHandle").GetInt32();

        var layout = client.Call("GetLayout", handle).GetProperty("qLayout");

        Assert.Equal("hello", layout.GetProperty("text").GetString());
        Assert.False(layout.TryGetProperty("qHyperCube", out _));
    }

    [Fact]
    public void GetProperties_HyperCubeObject_ReturnsDefinitionWithId()
    {
        var client = new QixTestClient();
        var handle = client.CreateHyperCube(["Region"], ["Sum(Sales)"]);

        var properties = client.Call("GetProperties", handle).GetProperty("qProp");

        Assert.True(properties.TryGetProperty("qHyperCubeDef", out _));
        Assert.False(string.IsNullOrEmpty(properties.GetProperty("qInfo").GetProperty("qId").GetString()));
    }

    [Fact]
    public void GetHyperCubeData_RegionBySales_ReturnsQlikCellsSortedByRegion()
    {
        var client = new QixTestClient();
        var handle = client.CreateHyperCube(["Region"], ["Sum(Sales)"]);

        var rows = client.FetchRows(handle, width: 2);

        Assert.Equal(["Americas", "APAC", "DACH", "Nordic"], rows.Select(r => r[0].GetProperty("qText").GetString()));
        var nordic = rows[3];
        Assert.Equal("NaN", nordic[0].GetProperty("qNum").GetString());
        Assert.Equal(0, nordic[0].GetProperty("qElemNumber").GetInt32());
        Assert.Equal("O", nordic[0].GetProperty("qState").GetString());
        Assert.Equal("255081", nordic[1].GetProperty("qText").GetString());
        Assert.Equal(255081, nordic[1].GetProperty("qNum").GetDouble());
        Assert.Equal("L", nordic[1].GetProperty("qState").GetString());
    }

    [Fact]
    public void GetHyperCubeData_NamedParams_SameAsPositional()
    {
        var client = new QixTestClient();
        var handle = client.CreateHyperCube(["Year"], ["Sum(Sales)"]);
        var page = new JsonObject { ["qLeft"] = 0, ["qTop"] = 0, ["qWidth"] = 2, ["qHeight"] = 10 };

        var positional = client.Call("GetHyperCubeData", handle, new JsonArray("/qHyperCubeDef", new JsonArray(page.DeepClone())));
        var named = client.Call("GetHyperCubeData", handle, new JsonObject { ["qPath"] = "/qHyperCubeDef", ["qPages"] = new JsonArray(page.DeepClone()) });

        Assert.Equal(positional.ToString(), named.ToString());
    }

    [Fact]
    public void GetHyperCubeData_PageBeyondCube_IsClipped()
    {
        var client = new QixTestClient();
        var handle = client.CreateHyperCube(["Region"], ["Sum(Sales)"]);
        var page = new JsonObject { ["qLeft"] = 1, ["qTop"] = 3, ["qWidth"] = 5, ["qHeight"] = 50 };

        var result = client.Call("GetHyperCubeData", handle, new JsonArray("/qHyperCubeDef", new JsonArray(page)));

        var area = result.GetProperty("qDataPages")[0].GetProperty("qArea");
        Assert.Equal(1, area.GetProperty("qWidth").GetInt32());
        Assert.Equal(1, area.GetProperty("qHeight").GetInt32());
        Assert.Equal("255081", result.GetProperty("qDataPages")[0].GetProperty("qMatrix")[0][0].GetProperty("qText").GetString());
    }

    [Fact]
    public void GetHyperCubeData_PageOverTenThousandCells_ReturnsPagesTooLarge()
    {
        var client = new QixTestClient();
        var handle = client.CreateHyperCube(["Region"], ["Sum(Sales)"]);
        var page = new JsonObject { ["qLeft"] = 0, ["qTop"] = 0, ["qWidth"] = 2, ["qHeight"] = 5001 };

        var error = client.CallExpectingError("GetHyperCubeData", handle, new JsonArray("/qHyperCubeDef", new JsonArray(page)));

        Assert.Equal(7009, error.GetProperty("code").GetInt32());
    }

    [Theory]
    [InlineData("""["/qListObjectDef", [{"qWidth":1,"qHeight":1}]]""")]
    [InlineData("""["/qHyperCubeDef"]""")]
    [InlineData("""["/qHyperCubeDef", [{"qWidth":-1,"qHeight":1}]]""")]
    [InlineData("""["/qHyperCubeDef", [{"qWidth":"2","qHeight":1}]]""")]
    public void GetHyperCubeData_BadPathOrPages_ReturnsInvalidParams(string parameters)
    {
        var client = new QixTestClient();
        var handle = client.CreateHyperCube(["Region"], ["Sum(Sales)"]);

        var error = client.CallExpectingError("GetHyperCubeData", handle, JsonNode.Parse(parameters));

        Assert.Equal(-32602, error.GetProperty("code").GetInt32());
    }

    [Fact]
    public void GetHyperCubeData_DocMethodOnObject_ReturnsMethodNotFound()
    {
        var client = new QixTestClient();
        var handle = client.CreateHyperCube(["Region"], ["Sum(Sales)"]);

        var error = client.CallExpectingError("GetAppLayout", handle);

        Assert.Equal(-32601, error.GetProperty("code").GetInt32());
    }
}
