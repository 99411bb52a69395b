using Portico.DemoEngine.Apps;
using Portico.DemoEngine.HyperCubes;
using Portico.DemoEngine.JsonRpc;

namespace Portico.DemoEngine.Tests.HyperCubes;

public sealed class MeasureDefinitionTests
{
    private static readonly DataTable Sales = SalesDemoApp.Create().Table;

    [Theory]
    [InlineData("Sum(Sales)", "Sum", false, "Sales")]
    [InlineData("=sum( [Sales] )", "Sum", false, "Sales")]
    [InlineData("Count(DISTINCT Country)", "Count", true, "Country")]
    [InlineData("count(distinct [Country])", "Count", true, "Country")]
    [InlineData("AVG(Quantity)", "Avg", false, "Quantity")]
    [InlineData("Min(Year)", "Min", false, "Year")]
    [InlineData("Max(Year)", "Max", false, "Year")]
    public void Parse_SingleFieldAggregation_Recognised(string expression, string function, bool distinct, string field)
    {
        var measure = MeasureDefinition.Parse(expression, null, Sales);

        Assert.Equal(function, measure.Function.ToString());
        Assert.Equal(distinct, measure.Distinct);
        Assert.Equal(field, measure.FieldName);
    }

    [Fact]
    public void Parse_WithLabel_UsesLabelAsTitle()
    {
        Assert.Equal("Revenue", MeasureDefinition.Parse("Sum(Sales)", "Revenue", Sales).Title);
        Assert.Equal("Sum(Sales)", MeasureDefinition.Parse("=Sum(Sales)", null, Sales).Title);
    }

    [Theory]
    [InlineData("Sum(Sales) + 1")]
    [InlineData("Median(Sales)")]
    [InlineData("Sum()")]
    [InlineData("Sum(sales)")]
    [InlineData("Sales")]
    [InlineData("")]
    public void Parse_UnsupportedExpression_ThrowsInvalidDefinition(string expression)
    {
        var error = Assert.Throws<RpcException>(() => MeasureDefinition.Parse(expression, null, Sales));

        Assert.Equal(7000, error.Code);
    }
}
