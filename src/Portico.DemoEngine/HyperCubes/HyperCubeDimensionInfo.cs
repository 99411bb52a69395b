namespace Portico.DemoEngine.HyperCubes;

/// <summary>What <c>qDimensionInfo</c> reports for a dimension; computed over the whole field, as Qlik does.</summary>
internal sealed record HyperCubeDimensionInfo(string Title, string FieldName, int Cardinal, int MaxGlyphCount, double? Min, double? Max)
{
    public bool IsNumeric => Min.HasValue;
}
