using System.Text.Json;

namespace Portico.Bench.Report;

/// <summary>summary.json: per scenario and target the median, plus the goals with pass/fail.</summary>
internal static class SummaryJson
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public static string Write(Results results, IReadOnlyList<Goal> goals)
    {
        var run = results.Run;
        var summary = new Dictionary<string, object?>
        {
            ["date"] = run.MachineValue("date"),
            ["mode"] = run.MachineValue("mode"),
            ["rounds"] = run.MachineValue("rounds"),
            ["floorRounds"] = run.MachineValue("floorRounds"),
            ["commit"] = run.MachineValue("commit"),
            ["porticoBuild"] = run.MachineValue("porticoBuild"),
            ["cpuSplit"] = run.MachineValue("cpuSplit"),
            ["dotnetServers"] = run.MachineValue("dotnetServers"),
            ["scenarios"] = results.Scenarios.ToDictionary(s => s.Id, s => new Dictionary<string, object>
            {
                ["title"] = s.Title,
                ["unit"] = s.Unit,
                ["higherIsBetter"] = s.HigherIsBetter,
                ["median"] = results.In(s).ToDictionary(t => t.Target, t => Math.Round(s.Display(t.Median), 2)),
                ["cpuUsPerOp"] = results.In(s).Where(t => t.CpuUsPerOp is not null).ToDictionary(t => t.Target, t => Math.Round(t.CpuUsPerOp!.Value, 2)),
            }),
            ["sessions"] = results.Sessions.ToDictionary(
                m => m.Key,
                m => m.Value.Numbers.ToDictionary(n => n.Key, n => Math.Round(n.Value, 3))),
            ["goals"] = goals.Select(g => new Dictionary<string, object?>
            {
                ["id"] = g.Id,
                ["description"] = g.Description,
                ["scenario"] = g.Scenario,
                ["ratio"] = Math.Round(g.Ratio, 3),
                ["comparison"] = g.AtLeast ? ">=" : "<=",
                ["threshold"] = g.Threshold,
                ["pass"] = g.Pass,
                ["cpuRatio"] = g.CpuRatio is { } c ? Math.Round(c, 3) : null,
                ["method"] = g.Method,
                ["interleavedRatio"] = g.InterleavedRatio is { } i ? Math.Round(i, 3) : null,
            }).ToList(),
            ["floorSideBySide"] = results.SideBySide.Values.ToDictionary(p => p.Scenario.Id, p => new Dictionary<string, object?>
            {
                ["throughputRatio"] = Math.Round(p.ThroughputRatio, 3),
                ["cpuRatio"] = p.CpuAdvantage is { } c ? Math.Round(c, 3) : null,
                ["rounds"] = p.Rounds.Select(r => new Dictionary<string, object?>
                {
                    ["round"] = r.Number,
                    ["porticoRate"] = r.Portico["rate"] is { } pr ? Math.Round(pr, 1) : null,
                    ["yarpRate"] = r.Yarp["rate"] is { } yr ? Math.Round(yr, 1) : null,
                    ["porticoCpuUsPerOp"] = r.Portico["cpuUsPerOp"],
                    ["yarpCpuUsPerOp"] = r.Yarp["cpuUsPerOp"],
                    ["startedLateMs"] = r.StartedLateMs,
                }).ToList(),
            }),
            ["goalsMet"] = goals.Count(g => g.Pass),
            ["goalsTotal"] = goals.Count,
        };
        return JsonSerializer.Serialize(summary, Options);
    }
}
