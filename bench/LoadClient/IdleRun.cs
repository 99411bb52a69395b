using System.Net.WebSockets;
using Portico.Bench.Shared;

namespace Portico.Bench.LoadClient;

/// <summary>
/// Idle sockets: log in every "browser", open every socket, let the proxy settle, read its VmRSS,
/// then check that every socket still echoes. Memory per connection is the RSS growth divided by
/// the sockets opened; for Portico the growth is also split into sessions and sockets. A .NET
/// target collects its garbage before every reading (<see cref="InducedGc"/>): otherwise whatever
/// earlier runs left, and when the GC happens to return it, moves the figure by more than the
/// sockets weigh.
/// </summary>
internal static class IdleRun
{
    public static async Task<RunResult> RunAsync(ClientOptions options, SocketFactory factory)
    {
        using var opening = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var set = new SocketSet(options, factory);
        var rssBefore = await CollectedRssKbAsync(options.MeasurePids);
        var credentials = await set.LoginAllAsync(options.Connections, opening.Token);
        factory.EndLogins();
        await Task.Delay(TimeSpan.FromSeconds(1)); // for the proxy to see those connections close
        var rssAfterLogin = await CollectedRssKbAsync(options.MeasurePids);
        var sockets = await set.ConnectAllAsync(credentials, opening.Token);

        await Task.Delay(TimeSpan.FromSeconds(options.SettleSeconds));
        var rssWithSockets = await CollectedRssKbAsync(options.MeasurePids);

        using var verifying = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var payload = EchoMessage.Payload(options.MessageBytes);
        long verified = 0;
        await Parallel.ForEachAsync(sockets, new ParallelOptions { MaxDegreeOfParallelism = 256 }, async (socket, _) =>
        {
            try
            {
                await EchoMessage.RoundTripAsync(socket, payload, new byte[Math.Max(1024, options.MessageBytes)], verifying.Token);
                Interlocked.Increment(ref verified);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or InvalidDataException)
            {
                set.RecordFailure(ex);
            }
        });

        await SocketSet.CloseAllAsync(sockets);
        var opened = Math.Max(1, sockets.Count);
        return new RunResult
        {
            Mode = options.Mode,
            Connections = options.Connections,
            Opened = sockets.Count,
            Failed = set.Failed,
            FirstError = set.FirstError,
            CsrfToken = credentials.Any(c => c?.CsrfToken is not null),
            Count = verified,
            Errors = sockets.Count - verified,
            RssBeforeKb = rssBefore,
            RssAfterLoginKb = rssAfterLogin,
            RssWithSocketsKb = rssWithSockets,
            BytesPerConnection = (rssWithSockets - rssBefore) * 1024.0 / opened,
            SocketBytesPerConnection = (rssWithSockets - rssAfterLogin) * 1024.0 / opened,
        };
    }

    /// <summary>VmRSS after the .NET processes among them collected, and their GC had a moment to return freed memory.</summary>
    private static async Task<long> CollectedRssKbAsync(IReadOnlyList<int> pids)
    {
        if (InducedGc.Collect(pids) > 0)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        return ProcessMemory.RssKb(pids);
    }
}
