using System.Text.Json.Nodes;
using Portico.DemoEngine.JsonRpc;
using Portico.DemoEngine.Qix;

namespace Portico.DemoEngine.HyperCubes;

/// <summary>Writes a computed hypercube in the shapes of Qlik's <c>qHyperCube</c> layout and <c>NxDataPage</c>.</summary>
internal static class HyperCubeJson
{
    public static JsonObject Layout(HyperCube cube, IReadOnlyList<DataPageRequest> initialDataFetch)
    {
        ArgumentNullException.ThrowIfNull(cube);
        ArgumentNullException.ThrowIfNull(initialDataFetch);

        return new JsonObject
        {
            ["qStateName"] = "$",
            ["qSize"] = new JsonObject { ["qcx"] = cube.ColumnCount, ["qcy"] = cube.RowCount },
            ["qDimensionInfo"] = new JsonArray([.. cube.Dimensions.Select(DimensionInfo)]),
            ["qMeasureInfo"] = new JsonArray([.. cube.Measures.Select(MeasureInfo)]),
            ["qEffectiveInterColumnSortOrder"] = new JsonArray([.. Enumerable.Range(0, cube.ColumnCount).Select(i => JsonValue.Create(i))]),
            ["qGrandTotalRow"] = new JsonArray([.. cube.GrandTotals.Select(Cell)]),
            ["qDataPages"] = new JsonArray([.. initialDataFetch.Select(page => Page(cube, page))]),
            ["qPivotDataPages"] = new JsonArray(),
            ["qStackedDataPages"] = new JsonArray(),
            ["qMode"] = "S",
            ["qNoOfLeftDims"] = -1,
            ["qTreeNodesOnDim"] = new JsonArray(),
            ["qColumnOrder"] = new JsonArray(),
        };
    }

    /// <summary>One page; the requested rectangle is clipped to the cube, as the engine does.</summary>
    public static JsonObject Page(HyperCube cube, DataPageRequest request)
    {
        ArgumentNullException.ThrowIfNull(cube);
        if ((long)request.Width * request.Height > DataPageRequest.MaxCells)
        {
            throw new RpcException(QixErrorCodes.CalcPagesTooLarge, "Request page is too large", "qPages");
        }

        var left = Math.Min(request.Left, cube.ColumnCount);
        var top = Math.Min(request.Top, cube.RowCount);
        var width = Math.Min(request.Width, cube.ColumnCount - left);
        var height = Math.Min(request.Height, cube.RowCount - top);

        var matrix = new JsonArray();
        for (var row = top; row < top + height; row++)
        {
            matrix.Add(new JsonArray([.. cube.Rows[row].Skip(left).Take(width).Select(Cell)]));
        }

        return new JsonObject
        {
            ["qMatrix"] = matrix,
            ["qTails"] = new JsonArray(),
            ["qArea"] = new JsonObject { ["qLeft"] = left, ["qTop"] = top, ["qWidth"] = width, ["qHeight"] = height },
        };
    }

    private static JsonObject Cell(HyperCubeCell cell)
    {
        var json = new JsonObject
        {
            ["qText"] = cell.Text,
            ["qNum"] = Number(cell.Number),
            ["qElemNumber"] = cell.ElemNumber,
            ["qState"] = cell.State.ToString(),
        };
        if (cell.IsNull)
        {
            json["qIsNull"] = true;
        }

        return json;
    }

    private static JsonObject DimensionInfo(HyperCubeDimensionInfo info) => new()
    {
        ["qFallbackTitle"] = info.Title,
        ["qApprMaxGlyphCount"] = info.MaxGlyphCount,
        ["qCardinal"] = info.Cardinal,
        ["qSortIndicator"] = "A",
        ["qGroupFallbackTitles"] = new JsonArray(info.Title),
        ["qGroupPos"] = 0,
        ["qGroupFieldDefs"] = new JsonArray(info.FieldName),
        ["qMin"] = Number(info.Min),
        ["qMax"] = Number(info.Max),
        ["qTags"] = info.IsNumeric ? new JsonArray("$numeric") : new JsonArray("$ascii", "$text"),
        ["qDimensionType"] = info.IsNumeric ? "N" : "D",
        ["qGrouping"] = "N",
        ["qNumFormat"] = NumberFormat(),
        ["qIsAutoFormat"] = true,
        ["qAttrExprInfo"] = new JsonArray(),
        ["qAttrDimInfo"] = new JsonArray(),
        ["qCardinalities"] = new JsonObject { ["qCardinal"] = info.Cardinal, ["qHypercubeCardinal"] = info.Cardinal },
    };

    private static JsonObject MeasureInfo(HyperCubeMeasureInfo info) => new()
    {
        ["qFallbackTitle"] = info.Title,
        ["qApprMaxGlyphCount"] = info.MaxGlyphCount,
        ["qCardinal"] = 0,
        ["qSortIndicator"] = "D",
        ["qNumFormat"] = NumberFormat(),
        ["qMin"] = Number(info.Min),
        ["qMax"] = Number(info.Max),
        ["qIsAutoFormat"] = true,
        ["qAttrExprInfo"] = new JsonArray(),
        ["qAttrDimInfo"] = new JsonArray(),
    };

    private static JsonObject NumberFormat() => new() { ["qType"] = "U", ["qnDec"] = 10, ["qUseThou"] = 0 };

    // Qlik writes "not a number" as the string "NaN"; System.Text.Json cannot write a NaN number anyway.
    private static JsonValue Number(double? value) =>
        value is { } number && double.IsFinite(number) ? JsonValue.Create(number) : JsonValue.Create("NaN");
}
