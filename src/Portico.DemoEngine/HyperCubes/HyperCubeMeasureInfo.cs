namespace Portico.DemoEngine.HyperCubes;

/// <summary>What <c>qMeasureInfo</c> reports for a measure; min and max are over the computed rows.</summary>
internal sealed record HyperCubeMeasureInfo(string Title, int MaxGlyphCount, double? Min, double? Max);
