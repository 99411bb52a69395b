using Portico.DemoEngine.Apps;
using Portico.DemoEngine.HyperCubes;

namespace Portico.DemoEngine.Tests.HyperCubes;

/// <summary>Aggregation over the built-in tables; expected figures were summed independently of the engine.</summary>
public sealed class HyperCubeCalculatorTests
{
    private static readonly DataTable Sales = SalesDemoApp.Create().Table;
    private static readonly DataTable Operations = OperationsApp.Create().Table;

    [Fact]
    public void Calculate_SumSalesByRegion_MatchesKnownTotals()
    {
        var cube = Calculate(Sales, ["Region"], ["Sum(Sales)"]);

        Assert.Equal(
            [("Americas", 239554d), ("APAC", 187666d), ("DACH", 241720d), ("Nordic", 255081d)],
            cube.Rows.Select(row => (row[0].Text, row[1].Number!.Value)));
        Assert.Equal(924021, cube.GrandTotals[0].Number);
    }

    [Fact]
    public void Calculate_NumericDimension_SortsNumericallyAndKeepsNumber()
    {
        var cube = Calculate(Sales, ["Year"], ["Sum(Sales)"]);

        Assert.Equal([2023d, 2024d], cube.Rows.Select(row => row[0].Number!.Value));
        Assert.Equal(["2023", "2024"], cube.Rows.Select(row => row[0].Text));
        Assert.Equal([472930d, 451091d], cube.Rows.Select(row => row[1].Number!.Value));
        Assert.True(cube.Dimensions[0].IsNumeric);
    }

    [Fact]
    public void Calculate_TwoDimensions_GroupsByBoth()
    {
        var cube = Calculate(Sales, ["Region", "Country"], ["Sum(Quantity)"]);

        Assert.Equal(8, cube.RowCount);
        Assert.Equal(4, cube.Dimensions[0].Cardinal);
        Assert.Equal(8, cube.Dimensions[1].Cardinal);
        var sweden = Assert.Single(cube.Rows, row => row[1].Text == "Sweden");
        Assert.Equal("Nordic", sweden[0].Text);
        Assert.Equal(963, sweden[2].Number);
        Assert.Equal(7163, cube.GrandTotals[0].Number);
    }

    [Fact]
    public void Calculate_CountDistinct_CountsDistinctValuesPerGroup()
    {
        var cube = Calculate(Sales, ["Year"], ["Count(DISTINCT Country)", "Count(Country)"]);

        Assert.All(cube.Rows, row => Assert.Equal(8, row[1].Number));
        Assert.All(cube.Rows, row => Assert.Equal(24, row[2].Number));
        Assert.Equal(8, cube.GrandTotals[0].Number);
        Assert.Equal(48, cube.GrandTotals[1].Number);
    }

    [Fact]
    public void Calculate_AvgMinMax_OverDecimalField()
    {
        var cube = Calculate(Operations, ["Site"], ["Avg(Downtime)", "Min(Incidents)", "Max(Incidents)", "Sum(Incidents)"]);

        var gothenburg = cube.Rows[0];
        Assert.Equal("Gothenburg", gothenburg[0].Text);
        Assert.Equal(12.716667, gothenburg[1].Number!.Value, precision: 6);
        Assert.Equal("12.71666667", gothenburg[1].Text);
        Assert.Equal(1, gothenburg[2].Number);
        Assert.Equal(9, gothenburg[3].Number);
        Assert.Equal([41d, 34d, 31d], cube.Rows.Select(row => row[4].Number!.Value));
    }

    [Fact]
    public void Calculate_MeasuresWithoutDimensions_ReturnsSingleTotalsRow()
    {
        var cube = Calculate(Sales, [], ["Min(Sales)", "Max(Sales)", "Avg(Sales)", "Count(Region)"]);

        var row = Assert.Single(cube.Rows);
        Assert.Equal([3871d, 47250d, 19250.4375d, 48d], row.Select(cell => cell.Number!.Value));
    }

    [Fact]
    public void Calculate_NoDimensionsOrMeasures_IsEmpty()
    {
        var cube = Calculate(Sales, [], []);

        Assert.Equal(0, cube.RowCount);
        Assert.Equal(0, cube.ColumnCount);
    }

    [Fact]
    public void Calculate_AverageOfTextField_IsQlikNull()
    {
        var cube = Calculate(Sales, ["Region"], ["Avg(Country)"]);

        Assert.All(cube.Rows, row =>
        {
            Assert.True(row[1].IsNull);
            Assert.Equal("-", row[1].Text);
            Assert.Null(row[1].Number);
        });
    }

    [Fact]
    public void Calculate_DimensionCells_CarryLoadOrderElementNumbers()
    {
        var cube = Calculate(Sales, ["Region"], ["Sum(Sales)"]);

        var elements = cube.Rows.ToDictionary(row => row[0].Text, row => row[0].ElemNumber);
        Assert.Equal(0, elements["Nordic"]);
        Assert.Equal(1, elements["DACH"]);
        Assert.Equal(2, elements["Americas"]);
        Assert.Equal(3, elements["APAC"]);
    }

    [Theory]
    [InlineData("Region", "Sales")]
    [InlineData("Country", "Quantity")]
    [InlineData("Product", "Sales")]
    [InlineData("Year", "Quantity")]
    public void Calculate_SumPerGroup_AddsUpToGrandTotal(string dimension, string field)
    {
        var cube = Calculate(Sales, [dimension], [$"Sum({field})"]);

        Assert.Equal(cube.GrandTotals[0].Number!.Value, cube.Rows.Sum(row => row[1].Number!.Value), precision: 6);
    }

    private static HyperCube Calculate(DataTable table, string[] dimensions, string[] measures)
    {
        var definition = new HyperCubeDefinition(
            [.. dimensions.Select(field => Assert.IsType<DimensionDefinition>(Dimension(table, field)))],
            [.. measures.Select(expression => MeasureDefinition.Parse(expression, null, table))],
            []);
        return HyperCubeCalculator.Calculate(definition, table);
    }

    private static DimensionDefinition Dimension(DataTable table, string field)
    {
        Assert.True(table.TryGetFieldIndex(field, out var index));
        return new DimensionDefinition(field, index, field);
    }
}
