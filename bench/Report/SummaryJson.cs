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
            }).ToList(),
            ["goalsMet"] = goals.Count(g => g.Pass),
            ["goalsTotal"] = goals.Count,
        };
        return JsonSerializer.Serialize(summary, Options);
    }
}
