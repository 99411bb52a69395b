namespace Portico.Bench.LoadClient;

/// <summary>Waits for --start-at, so side-by-side clients run their measured loops over the same seconds.</summary>
internal static class StartSignal
{
    /// <returns>How late the loops start (ms): 0 when the time had not come yet; null without --start-at.</returns>
    public static async Task<double?> WaitAsync(ClientOptions options)
    {
        if (options.StartAtUnixMs is not { } startAt)
        {
            return null;
        }

        var wait = startAt - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        if (wait > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(wait));
            return 0;
        }

        return -wait;
    }
}
