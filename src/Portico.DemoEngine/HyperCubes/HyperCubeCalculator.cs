using Portico.DemoEngine.Apps;

namespace Portico.DemoEngine.HyperCubes;

/// <summary>
/// Computes a hypercube for real: a group-by over the app's table on the dimension fields, each
/// measure aggregated per group. Rows are ordered by the dimensions ascending, numbers before
/// text, which is what Qlik's default sort criteria produce for these fields.
/// </summary>
internal static class HyperCubeCalculator
{
    public static HyperCube Calculate(HyperCubeDefinition definition, DataTable table)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(table);

        var dimensionFields = definition.Dimensions.Select(d => d.FieldIndex).ToArray();

        // Element numbers are positions in the field's symbol table, i.e. load order of distinct values.
        var elementNumbers = dimensionFields
            .Select(field => table.Rows
                .Select(row => row[field])
                .Distinct()
                .Select((value, index) => (value, index))
                .ToDictionary(entry => entry.value, entry => entry.index))
            .ToArray();

        IEnumerable<(CellValue[] Key, IReadOnlyList<IReadOnlyList<CellValue>> Rows)> groups;
        if (dimensionFields.Length == 0)
        {
            // Measures without dimensions make a single totals row; an empty cube has no rows at all.
            groups = definition.Measures.Count == 0 ? [] : [([], table.Rows)];
        }
        else
        {
            groups = table.Rows
                .GroupBy(row => dimensionFields.Select(field => row[field]).ToArray(), RowKeyComparer.Instance)
                .Select(group => (group.Key, (IReadOnlyList<IReadOnlyList<CellValue>>)[.. group]))
                .OrderBy(group => group.Key, RowKeyComparer.Instance);
        }

        var rows = groups
            .Select(group => (IReadOnlyList<HyperCubeCell>)
            [
                .. group.Key.Select((value, column) => new HyperCubeCell(value.Text, value.Number, elementNumbers[column][value], 'O')),
                .. definition.Measures.Select(measure => MeasureCell(Aggregate(measure, group.Rows))),
            ])
            .ToList();

        var dimensionInfos = definition.Dimensions.Select(dimension => DescribeDimension(dimension, table)).ToList();
        var measureInfos = definition.Measures
            .Select((measure, index) => DescribeMeasure(measure, rows.Select(row => row[dimensionFields.Length + index])))
            .ToList();
        var grandTotals = definition.Measures.Select(measure => MeasureCell(Aggregate(measure, table.Rows))).ToList();

        return new HyperCube(dimensionInfos, measureInfos, rows, grandTotals);
    }

    /// <summary>Aggregates one measure over a set of rows; <c>null</c> is Qlik's null (an average of nothing).</summary>
    public static double? Aggregate(MeasureDefinition measure, IEnumerable<IReadOnlyList<CellValue>> rows)
    {
        ArgumentNullException.ThrowIfNull(measure);
        ArgumentNullException.ThrowIfNull(rows);

        var values = rows.Select(row => row[measure.FieldIndex]);
        if (measure.Distinct)
        {
            values = values.Distinct();
        }

        var numbers = values.Where(v => v.IsNumeric).Select(v => v.Number!.Value);
        return measure.Function switch
        {
            Aggregation.Count => values.Count(),
            Aggregation.Sum => numbers.Sum(),
            Aggregation.Avg => numbers.Any() ? numbers.Average() : null,
            Aggregation.Min => numbers.Any() ? numbers.Min() : null,
            Aggregation.Max => numbers.Any() ? numbers.Max() : null,
            _ => throw new ArgumentOutOfRangeException(nameof(measure), measure.Function, "Unknown aggregation."),
        };
    }

    private static HyperCubeCell MeasureCell(double? value) =>
        value is { } number ? new HyperCubeCell(CellValue.FormatNumber(number), number, 0, 'L') : HyperCubeCell.Null('L');

    private static HyperCubeDimensionInfo DescribeDimension(DimensionDefinition dimension, DataTable table)
    {
        var values = table.Rows.Select(row => row[dimension.FieldIndex]).Distinct().ToList();
        var numbers = values.Where(v => v.IsNumeric).Select(v => v.Number!.Value).ToList();
        return new HyperCubeDimensionInfo(
            dimension.Title,
            dimension.FieldName,
            values.Count,
            values.Count == 0 ? 0 : values.Max(v => v.Text.Length),
            numbers.Count == 0 ? null : numbers.Min(),
            numbers.Count == 0 ? null : numbers.Max());
    }

    private static HyperCubeMeasureInfo DescribeMeasure(MeasureDefinition measure, IEnumerable<HyperCubeCell> column)
    {
        var cells = column.ToList();
        var numbers = cells.Where(c => c.Number.HasValue).Select(c => c.Number!.Value).ToList();
        return new HyperCubeMeasureInfo(
            measure.Title,
            cells.Count == 0 ? 0 : cells.Max(c => c.Text.Length),
            numbers.Count == 0 ? null : numbers.Min(),
            numbers.Count == 0 ? null : numbers.Max());
    }

    /// <summary>Equality and ordering of dimension tuples.</summary>
    private sealed class RowKeyComparer : IEqualityComparer<CellValue[]>, IComparer<CellValue[]>
    {
        public static readonly RowKeyComparer Instance = new();

        public bool Equals(CellValue[]? x, CellValue[]? y) =>
            ReferenceEquals(x, y) || (x is not null && y is not null && x.AsSpan().SequenceEqual(y));

        public int GetHashCode(CellValue[] obj)
        {
            var hash = default(HashCode);
            foreach (var value in obj)
            {
                hash.Add(value);
            }

            return hash.ToHashCode();
        }

        public int Compare(CellValue[]? x, CellValue[]? y)
        {
            if (x is null || y is null)
            {
                return Comparer<object>.Default.Compare(x, y);
            }

            for (var i = 0; i < Math.Min(x.Length, y.Length); i++)
            {
                var order = CompareValues(x[i], y[i]);
                if (order != 0)
                {
                    return order;
                }
            }

            return x.Length.CompareTo(y.Length);
        }

        private static int CompareValues(CellValue x, CellValue y)
        {
            if (x.IsNumeric != y.IsNumeric)
            {
                return x.IsNumeric ? -1 : 1;
            }

            if (x.IsNumeric)
            {
                return x.Number!.Value.CompareTo(y.Number!.Value);
            }

            var caseless = string.Compare(x.Text, y.Text, StringComparison.OrdinalIgnoreCase);
            return caseless != 0 ? caseless : string.CompareOrdinal(x.Text, y.Text);
        }
    }
}
