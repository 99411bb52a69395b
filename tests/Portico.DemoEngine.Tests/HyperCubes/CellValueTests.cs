using Portico.DemoEngine.Apps;

namespace Portico.DemoEngine.Tests.HyperCubes;

public sealed class CellValueTests
{
    [Theory]
    [InlineData(1234d, "1234")]
    [InlineData(-5d, "-5")]
    [InlineData(0.5d, "0.5")]
    [InlineData(19250.4375d, "19250.4375")]
    [InlineData(1d / 3d, "0.3333333333")]
    [InlineData(double.NaN, "-")]
    public void FormatNumber_Value_UsesInvariantAutoFormat(double value, string expected)
    {
        Assert.Equal(expected, CellValue.FormatNumber(value));
    }
}
