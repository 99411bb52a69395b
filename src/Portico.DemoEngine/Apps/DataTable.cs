namespace Portico.DemoEngine.Apps;

/// <summary>The single, already loaded table behind a demo app; immutable, so it is shared by all connections.</summary>
internal sealed class DataTable
{
    private readonly Dictionary<string, int> _fieldIndex;

    public DataTable(IReadOnlyList<string> fieldNames, IReadOnlyList<IReadOnlyList<CellValue>> rows)
    {
        ArgumentNullException.ThrowIfNull(fieldNames);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Any(row => row.Count != fieldNames.Count))
        {
            throw new ArgumentException("Every row needs one value per field.", nameof(rows));
        }

        FieldNames = fieldNames;
        Rows = rows;

        // Qlik field names are case-sensitive; so is this lookup.
        _fieldIndex = fieldNames.Select((name, index) => (name, index)).ToDictionary(f => f.name, f => f.index, StringComparer.Ordinal);
    }

    public IReadOnlyList<string> FieldNames { get; }

    public IReadOnlyList<IReadOnlyList<CellValue>> Rows { get; }

    public bool TryGetFieldIndex(string fieldName, out int index) => _fieldIndex.TryGetValue(fieldName, out index);
}
