namespace Portico.Bench.Report;

/// <summary>The run's measurements grouped by scenario and target, with the comparisons the report makes.</summary>
internal sealed class Results
{
    private readonly Dictionary<(string Scenario, string Target), Stats> _stats = [];

    public Results(RunData run)
    {
        Run = run;
        var known = run.Measurements
            .Select(m => (Measurement: m, Scenario: Scenario.TryParse(m.Scenario)))
            .Where(x => x.Scenario is not null)
            .ToList();
        Scenarios = known.Select(x => x.Scenario!).DistinctBy(s => s.Id)
            .OrderBy(s => s.Kind).ThenBy(s => s.Size).ToList();
        foreach (var group in known.GroupBy(x => (x.Scenario!.Id, x.Measurement.Target)))
        {
            var scenario = Scenarios.First(s => s.Id == group.Key.Id);
            _stats[group.Key] = new Stats(scenario, group.Key.Target, group.Select(x => x.Measurement).OrderBy(m => m.Round).ToList());
        }

        Sessions = run.Measurements.Where(m => m.Scenario.StartsWith("sessions-", StringComparison.Ordinal))
            .ToDictionary(m => m.Scenario, m => m);
        SideBySide = Report.SideBySide.From(run.Measurements);
    }

    public RunData Run { get; }

    public IReadOnlyList<Scenario> Scenarios { get; }

    /// <summary>sessions-fill, sessions-lookup-baseline, sessions-lookup: Portico only, one round.</summary>
    public IReadOnlyDictionary<string, Measurement> Sessions { get; }

    /// <summary>The floor scenarios run with Portico and bare YARP loaded together, by scenario id.</summary>
    public IReadOnlyDictionary<string, SideBySide> SideBySide { get; }

    public Stats? Get(Scenario scenario, string target) => _stats.GetValueOrDefault((scenario.Id, target));

    public IEnumerable<Stats> In(Scenario scenario) =>
        Targets.Order.Select(t => Get(scenario, t)).OfType<Stats>();

    /// <summary>
    /// How much better <paramref name="target"/> did than <paramref name="reference"/>, as a factor
    /// where above 1 is better whatever the metric: throughput target/reference, memory reference/target.
    /// </summary>
    public double? Advantage(Scenario scenario, string target, string reference)
    {
        if (Get(scenario, target) is not { } t || Get(scenario, reference) is not { } r || t.Median <= 0 || r.Median <= 0)
        {
            return null;
        }

        return scenario.HigherIsBetter ? t.Median / r.Median : r.Median / t.Median;
    }
}
