namespace Portico.DemoEngine.HyperCubes;

/// <summary>A fully computed straight-table hypercube: dimensions first, then measures, rows already sorted.</summary>
internal sealed record HyperCube(
    IReadOnlyList<HyperCubeDimensionInfo> Dimensions,
    IReadOnlyList<HyperCubeMeasureInfo> Measures,
    IReadOnlyList<IReadOnlyList<HyperCubeCell>> Rows,
    IReadOnlyList<HyperCubeCell> GrandTotals)
{
    public int ColumnCount => Dimensions.Count + Measures.Count;

    public int RowCount => Rows.Count;
}
