namespace Portico.DemoEngine.Apps;

/// <summary>"Operations.qvf": monthly incidents and downtime hours per plant, first half of 2024.</summary>
internal static class OperationsApp
{
    public const string Id = "Operations.qvf";

    /// <remarks>Restricted to directory users so that doc-list filtering and denied opens can be observed.</remarks>
    public static DemoApp Create() => new(
        Id,
        "Operations",
        "Plant incidents and downtime; not visible to anonymous users.",
        AppAudience.DirectoryUsers,
        new DateTimeOffset(2024, 7, 1, 4, 30, 0, TimeSpan.Zero),
        new DataTable(["Site", "Month", "Incidents", "Downtime"], Rows));

    private static readonly IReadOnlyList<IReadOnlyList<CellValue>> Rows =
    [
        Row("Gothenburg", "2024-01", 7, 18.7),
        Row("Gothenburg", "2024-02", 7, 11.4),
        Row("Gothenburg", "2024-03", 9, 8.8),
        Row("Gothenburg", "2024-04", 8, 13.5),
        Row("Gothenburg", "2024-05", 9, 22.3),
        Row("Gothenburg", "2024-06", 1, 1.6),
        Row("Lyon", "2024-01", 2, 1.5),
        Row("Lyon", "2024-02", 0, 0.0),
        Row("Lyon", "2024-03", 6, 17.5),
        Row("Lyon", "2024-04", 9, 19.1),
        Row("Lyon", "2024-05", 9, 4.8),
        Row("Lyon", "2024-06", 8, 5.3),
        Row("Monterrey", "2024-01", 0, 0.0),
        Row("Monterrey", "2024-02", 3, 6.0),
        Row("Monterrey", "2024-03", 7, 9.2),
        Row("Monterrey", "2024-04", 9, 23.5),
        Row("Monterrey", "2024-05", 8, 8.7),
        Row("Monterrey", "2024-06", 4, 7.0),
    ];

    private static CellValue[] Row(string site, string month, int incidents, double downtime) =>
    [
        CellValue.FromText(site),
        CellValue.FromText(month),
        CellValue.FromNumber(incidents),
        CellValue.FromNumber(downtime),
    ];
}
