namespace Portico.BrowserTests;

/// <summary>What the sample page shows when it got its data, and when it was kept out.</summary>
internal static class MashupAssert
{
    /// <summary>Sum(Sales) by region in the demo engine's "Sales Demo.qvf".</summary>
    public static readonly IReadOnlyDictionary<string, string> SalesByRegion = new Dictionary<string, string>
    {
        ["Nordic"] = "255,081",
        ["DACH"] = "241,720",
        ["Americas"] = "239,554",
        ["APAC"] = "187,666",
    };

    public static void RendersSalesData(MashupVisit visit)
    {
        Assert.True(visit.State == "ready", visit.Describe());
        Assert.Equal("open", visit.Socket);
        Assert.Contains("Sales Demo.qvf", visit.Docs);
        var rendered = visit.Rows.ToDictionary(row => row[0], row => row[1]);
        Assert.Equal(SalesByRegion.OrderBy(p => p.Key), rendered.OrderBy(p => p.Key));
    }

    public static void RefusedWithoutData(MashupVisit visit)
    {
        Assert.True(visit.State == "error", visit.Describe());
        Assert.Equal("refused", visit.Socket);
        Assert.Contains("WebSocket refused", visit.Status, StringComparison.Ordinal);
        Assert.Contains(visit.SocketErrors, e => e.Contains("403", StringComparison.Ordinal));
        Assert.Empty(visit.Docs);
        Assert.Empty(visit.Rows);
    }
}
