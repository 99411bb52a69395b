namespace Portico.DemoEngine.Apps;

/// <summary>
/// "Sales Demo.qvf": 4 regions x 2 countries x 3 products x 2 years. The figures are fixed, not
/// generated at start-up, so tests can state expected aggregates as plain numbers.
/// </summary>
internal static class SalesDemoApp
{
    public const string Id = "Sales Demo.qvf";

    public static DemoApp Create() => new(
        Id,
        "Sales Demo",
        "Outdoor gear sales by region, country, product and year.",
        AppAudience.Everyone,
        new DateTimeOffset(2024, 12, 31, 6, 0, 0, TimeSpan.Zero),
        new DataTable(["Region", "Country", "Product", "Year", "Sales", "Quantity"], Rows));

    private static readonly IReadOnlyList<IReadOnlyList<CellValue>> Rows =
    [
        Row("Nordic", "Sweden", "Trail Shoes", 2023, 15738, 122),
        Row("Nordic", "Sweden", "Trail Shoes", 2024, 26574, 206),
        Row("Nordic", "Sweden", "Rain Jacket", 2023, 47250, 250),
        Row("Nordic", "Sweden", "Rain Jacket", 2024, 35721, 189),
        Row("Nordic", "Sweden", "Day Pack", 2023, 3871, 49),
        Row("Nordic", "Sweden", "Day Pack", 2024, 11613, 147),
        Row("Nordic", "Norway", "Trail Shoes", 2023, 8127, 63),
        Row("Nordic", "Norway", "Trail Shoes", 2024, 32379, 251),
        Row("Nordic", "Norway", "Rain Jacket", 2023, 37989, 201),
        Row("Nordic", "Norway", "Rain Jacket", 2024, 9828, 52),
        Row("Nordic", "Norway", "Day Pack", 2023, 14378, 182),
        Row("Nordic", "Norway", "Day Pack", 2024, 11613, 147),
        Row("DACH", "Germany", "Trail Shoes", 2023, 23930, 186),
        Row("DACH", "Germany", "Trail Shoes", 2024, 8514, 66),
        Row("DACH", "Germany", "Rain Jacket", 2023, 12096, 64),
        Row("DACH", "Germany", "Rain Jacket", 2024, 37422, 198),
        Row("DACH", "Germany", "Day Pack", 2023, 16748, 214),
        Row("DACH", "Germany", "Day Pack", 2024, 12403, 159),
        Row("DACH", "Austria", "Trail Shoes", 2023, 14964, 116),
        Row("DACH", "Austria", "Trail Shoes", 2024, 28122, 218),
        Row("DACH", "Austria", "Rain Jacket", 2023, 35061, 187),
        Row("DACH", "Austria", "Rain Jacket", 2024, 23625, 127),
        Row("DACH", "Austria", "Day Pack", 2023, 15405, 195),
        Row("DACH", "Austria", "Day Pack", 2024, 13430, 171),
        Row("Americas", "USA", "Trail Shoes", 2023, 29993, 233),
        Row("Americas", "USA", "Trail Shoes", 2024, 21285, 165),
        Row("Americas", "USA", "Rain Jacket", 2023, 39879, 211),
        Row("Americas", "USA", "Rain Jacket", 2024, 23721, 127),
        Row("Americas", "USA", "Day Pack", 2023, 14852, 188),
        Row("Americas", "USA", "Day Pack", 2024, 20145, 255),
        Row("Americas", "Canada", "Trail Shoes", 2023, 20769, 161),
        Row("Americas", "Canada", "Trail Shoes", 2024, 29091, 227),
        Row("Americas", "Canada", "Rain Jacket", 2023, 20790, 112),
        Row("Americas", "Canada", "Rain Jacket", 2024, 8127, 45),
        Row("Americas", "Canada", "Day Pack", 2023, 6557, 83),
        Row("Americas", "Canada", "Day Pack", 2024, 4345, 55),
        Row("APAC", "Japan", "Trail Shoes", 2023, 9417, 73),
        Row("APAC", "Japan", "Trail Shoes", 2024, 18060, 140),
        Row("APAC", "Japan", "Rain Jacket", 2023, 14931, 82),
        Row("APAC", "Japan", "Rain Jacket", 2024, 33926, 180),
        Row("APAC", "Japan", "Day Pack", 2023, 19513, 249),
        Row("APAC", "Japan", "Day Pack", 2024, 17222, 220),
        Row("APAC", "Australia", "Trail Shoes", 2023, 27477, 214),
        Row("APAC", "Australia", "Trail Shoes", 2024, 10062, 78),
        Row("APAC", "Australia", "Rain Jacket", 2023, 14742, 78),
        Row("APAC", "Australia", "Rain Jacket", 2024, 7938, 43),
        Row("APAC", "Australia", "Day Pack", 2023, 8453, 107),
        Row("APAC", "Australia", "Day Pack", 2024, 5925, 77),
    ];

    private static CellValue[] Row(string region, string country, string product, int year, double sales, int quantity) =>
    [
        CellValue.FromText(region),
        CellValue.FromText(country),
        CellValue.FromText(product),
        CellValue.FromNumber(year),
        CellValue.FromNumber(sales),
        CellValue.FromNumber(quantity),
    ];
}
