namespace Portico.TestSupport;

/// <summary>Known figures of the demo engine's "Sales Demo.qvf".</summary>
public static class SalesDemoFigures
{
    public const string AppId = "Sales Demo.qvf";

    /// <summary>Sum(Sales) by Region, as the engine's qText writes it.</summary>
    public static readonly IReadOnlyDictionary<string, string> SalesByRegion = new Dictionary<string, string>
    {
        ["Nordic"] = "255081",
        ["DACH"] = "241720",
        ["Americas"] = "239554",
        ["APAC"] = "187666",
    };
}
