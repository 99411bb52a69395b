namespace Portico.Bench.Report;

/// <summary>One target in one scenario across its rounds: medians for the report, min and max for the noise.</summary>
internal sealed record Stats(Scenario Scenario, string Target, IReadOnlyList<Measurement> Rounds)
{
    public double Median => MedianOf(Scenario.Metric);

    public double Min => Values(Scenario.Metric).Min();

    public double Max => Values(Scenario.Metric).Max();

    public double? P50Ms => Rounds.Any(r => r["p50Ms"] is not null) ? MedianOf("p50Ms") : null;

    public double? P99Ms => Rounds.Any(r => r["p99Ms"] is not null) ? MedianOf("p99Ms") : null;

    /// <summary>CPU time of the target's processes per operation (µs): steadier than throughput on a shared machine.</summary>
    public double? CpuUsPerOp => Rounds.Any(r => r["cpuUsPerOp"] is not null) ? MedianOf("cpuUsPerOp") : null;

    /// <summary>Failed requests, refused sockets, echoes that did not come back: summed over rounds.</summary>
    public long Errors => (long)Rounds.Sum(r => (r["errors"] ?? 0) + (r["failed"] ?? 0));

    public string? FirstError => Rounds.Select(r => r.FirstError).FirstOrDefault(e => e is not null);

    /// <summary>Portico only: whether upgrades carried a CSRF token (Portico offered one).</summary>
    public bool CsrfToken => Rounds.Any(r => r["csrfToken"] is > 0);

    public double MedianOf(string metric) => MedianOfValues(Values(metric));

    public static double MedianOfValues(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private IEnumerable<double> Values(string metric) => Rounds.Select(r => r[metric]).OfType<double>();
}
