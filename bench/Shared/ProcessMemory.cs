using System.Globalization;

namespace Portico.Bench.Shared;

/// <summary>Resident memory of the processes under test, as the kernel reports it (VmRSS).</summary>
internal static class ProcessMemory
{
    public static long RssKb(IEnumerable<int> pids) => pids.Sum(RssKb);

    public static long RssKb(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"process {pid} reports no VmRSS");
    }
}
