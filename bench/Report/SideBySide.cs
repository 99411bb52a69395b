namespace Portico.Bench.Report;

/// <summary>
/// One floor scenario run with Portico and bare YARP loaded at the same time ("pair-" ids): the
/// per-round ratios, which the machine's noise affects far less than medians of separate runs.
/// </summary>
internal sealed record SideBySide(Scenario Scenario, IReadOnlyList<SideBySide.Round> Rounds)
{
    public const string IdPrefix = "pair-";

    /// <summary>One round: Portico's and bare YARP's results over the same seconds.</summary>
    public sealed record Round(int Number, Measurement Portico, Measurement Yarp)
    {
        public double? ThroughputRatio => Portico["rate"] is { } p && Yarp["rate"] is { } y && y > 0 ? p / y : null;

        /// <summary>Bare YARP's CPU per operation over Portico's: reads like a throughput ratio.</summary>
        public double? CpuAdvantage => Portico["cpuUsPerOp"] is { } p && Yarp["cpuUsPerOp"] is { } y && p > 0 ? y / p : null;

        /// <summary>A WebSocket client that opened its sockets too late to start with the other (ms late).</summary>
        public double StartedLateMs => Math.Max(Portico["startedLateMs"] ?? 0, Yarp["startedLateMs"] ?? 0);
    }

    public IReadOnlyList<double> ThroughputRatios => Rounds.Select(r => r.ThroughputRatio).OfType<double>().ToList();

    public double ThroughputRatio => Stats.MedianOfValues(ThroughputRatios);

    public double? CpuAdvantage => Rounds.Select(r => r.CpuAdvantage).OfType<double>().ToList() is { Count: > 0 } values ? Stats.MedianOfValues(values) : null;

    public double MaxStartedLateMs => Rounds.Count == 0 ? 0 : Rounds.Max(r => r.StartedLateMs);

    /// <summary>Groups the "pair-" measurements by scenario; rounds with only one of the two targets are left out.</summary>
    public static IReadOnlyDictionary<string, SideBySide> From(IEnumerable<Measurement> measurements)
    {
        var byScenario = new Dictionary<string, SideBySide>(StringComparer.Ordinal);
        foreach (var group in measurements.Where(m => m.Scenario.StartsWith(IdPrefix, StringComparison.Ordinal)).GroupBy(m => m.Scenario[IdPrefix.Length..]))
        {
            if (Scenario.TryParse(group.Key) is not { } scenario)
            {
                continue;
            }

            var rounds = group.GroupBy(m => m.Round)
                .Select(r => (Number: r.Key, Portico: r.FirstOrDefault(m => m.Target == Targets.Portico), Yarp: r.FirstOrDefault(m => m.Target == Targets.Yarp)))
                .Where(r => r.Portico is not null && r.Yarp is not null)
                .OrderBy(r => r.Number)
                .Select(r => new Round(r.Number, r.Portico!, r.Yarp!))
                .ToList();
            if (rounds.Count > 0)
            {
                byScenario[scenario.Id] = new SideBySide(scenario, rounds);
            }
        }

        return byScenario;
    }
}
