using System.Diagnostics;

namespace Portico.TestSupport;

/// <summary>How a test ends a process it started: the whole tree killed if still running, waited for (bounded), disposed.</summary>
public static class ProcessStop
{
    public static async Task KillTreeAndDisposeAsync(Process process, TimeSpan limit)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().WaitAsync(limit);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started, or already gone.
        }
        finally
        {
            process.Dispose();
        }
    }
}
