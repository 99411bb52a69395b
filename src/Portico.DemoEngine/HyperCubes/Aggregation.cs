namespace Portico.DemoEngine.HyperCubes;

/// <summary>The aggregation functions a measure expression may use.</summary>
internal enum Aggregation
{
    Sum,
    Count,
    Avg,
    Min,
    Max,
}
