using System.Diagnostics;

namespace Portico.Bench.Shared;

/// <summary>CPU time (user + system, every thread) the processes under test have used.</summary>
internal static class ProcessCpu
{
    public static TimeSpan Used(IEnumerable<int> pids)
    {
        var total = TimeSpan.Zero;
        foreach (var pid in pids)
        {
            using var process = Process.GetProcessById(pid);
            total += process.TotalProcessorTime;
        }

        return total;
    }
}
