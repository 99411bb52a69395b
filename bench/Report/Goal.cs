namespace Portico.Bench.Report;

/// <summary>One target Portico is held to, and whether this run met it.</summary>
/// <param name="Ratio">Portico's median over the reference's median (throughput or bytes per socket).</param>
/// <param name="AtLeast">True when the ratio must be at least the threshold, false when at most.</param>
/// <param name="CpuRatio">
/// The same comparison made on CPU time per operation (reference's CPU / Portico's, so it reads like
/// a throughput ratio). Not a goal: a check on whether a throughput verdict is the machine's noise.
/// </param>
/// <param name="Method">How the ratio was measured: medians of the interleaved rounds, or per-round ratios side by side.</param>
/// <param name="InterleavedRatio">For a side-by-side goal, the ratio of the interleaved rounds' medians, shown beside it.</param>
/// <param name="Kind">Whether <paramref name="Ratio"/> is a ratio or a count (the flood's session peak and refusals).</param>
internal sealed record Goal(string Id, string Description, string Scenario, double Ratio, bool AtLeast, double Threshold, double? CpuRatio,
    string Method = Goal.InterleavedMethod, double? InterleavedRatio = null, GoalKind Kind = GoalKind.Ratio)
{
    public const string InterleavedMethod = "interleaved medians";

    /// <summary>A goal that could not be measured (NaN) is not met.</summary>
    public bool Pass => !double.IsNaN(Ratio) && (AtLeast ? Ratio >= Threshold : Ratio <= Threshold);

    /// <summary>The measured value and the threshold as the report shows them.</summary>
    public string ShownValue => double.IsNaN(Ratio) ? "—" : Show(Ratio);

    public string ShownThreshold => Show(Threshold);

    private string Show(double value) => value.ToString(Kind == GoalKind.Count ? "#,0" : "0.00", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The goals: Portico's features cost at most 10% against bare YARP on every scenario; against
    /// nginx, HTTPS and echo throughput at least equal, handshakes at least 0.8×, idle memory per
    /// socket at most nginx's. Plain HTTP has no Portico number (its HTTP listener only redirects).
    /// </summary>
    public static IReadOnlyList<Goal> Evaluate(Results results)
    {
        var goals = new List<Goal>();
        foreach (var scenario in results.Scenarios.Where(s => s.Kind != ScenarioKind.Http))
        {
            if (results.Get(scenario, Targets.Portico) is not { } portico)
            {
                continue;
            }

            var memory = !scenario.HigherIsBetter;
            if (results.Get(scenario, Targets.Yarp) is { } yarp)
            {
                var id = $"portico-vs-yarp/{scenario.Id}";
                var description = memory ? "Portico uses at most 10% more memory per socket than bare YARP" : "Portico keeps at least 90% of bare YARP's throughput";
                var interleaved = portico.Median / yarp.Median;
                // The floor is judged side by side where it was measured so: see bench/lib/scenarios.sh, scenario_floor.
                goals.Add(results.SideBySide.GetValueOrDefault(scenario.Id) is { } pair
                    ? new Goal(id, description, scenario.Id, pair.ThroughputRatio, AtLeast: true, Threshold: 0.90, pair.CpuAdvantage,
                        Method: $"side by side, median of {pair.ThroughputRatios.Count} rounds", InterleavedRatio: interleaved)
                    : new Goal(id, description, scenario.Id, interleaved, AtLeast: !memory, Threshold: memory ? 1.10 : 0.90, CpuAdvantage(yarp, portico)));
            }

            if (results.Get(scenario, Targets.Nginx) is { } nginx)
            {
                var (description, threshold) = scenario.Kind switch
                {
                    ScenarioKind.Handshake => ("Portico completes at least 0.8x nginx's handshakes", 0.8),
                    ScenarioKind.IdleMemory => ("Portico uses no more memory per idle socket than nginx", 1.0),
                    _ => ("Portico's throughput is at least nginx's", 1.0),
                };
                goals.Add(new Goal($"portico-vs-nginx/{scenario.Id}", description, scenario.Id, portico.Median / nginx.Median, AtLeast: !memory, threshold, CpuAdvantage(nginx, portico)));
            }
        }

        return goals;
    }

    private static double? CpuAdvantage(Stats reference, Stats portico) =>
        reference.CpuUsPerOp is { } r && portico.CpuUsPerOp is { } p && p > 0 ? r / p : null;
}

internal enum GoalKind
{
    Ratio,
    Count,
}
