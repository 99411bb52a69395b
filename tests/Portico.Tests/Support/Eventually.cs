namespace Portico.Tests.Support;

/// <summary>Waits for a condition that another component makes true asynchronously (a file watcher, a health probe).</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, TimeSpan limit, string what)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Gave up waiting for {what} after {limit.TotalSeconds} s.");
            }

            await Task.Delay(50);
        }
    }

    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan limit, string what)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Gave up waiting for {what} after {limit.TotalSeconds} s.");
            }

            await Task.Delay(100);
        }
    }
}
