using System.Diagnostics;

namespace Portico.Bench.LoadClient;

/// <summary>Round-trip times of one loop; loops never share one, so recording takes no lock.</summary>
internal sealed class LatencySamples
{
    private readonly List<long> _ticks = new(capacity: 4096);

    public int Count => _ticks.Count;

    public void Add(long elapsedTicks) => _ticks.Add(elapsedTicks);

    /// <summary>Nearest-rank percentiles (in milliseconds) over every loop's samples.</summary>
    public static (double P50, double P99) Percentiles(IEnumerable<LatencySamples> loops)
    {
        var all = loops.SelectMany(l => l._ticks).ToArray();
        if (all.Length == 0)
        {
            return (0, 0);
        }

        Array.Sort(all);
        double At(double percent) => all[Math.Max(0, (int)Math.Ceiling(percent / 100 * all.Length) - 1)] * 1000.0 / Stopwatch.Frequency;
        return (At(50), At(99));
    }
}
