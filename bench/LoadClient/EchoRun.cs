using System.Diagnostics;
using System.Net.WebSockets;
using Portico.Bench.Shared;

namespace Portico.Bench.LoadClient;

/// <summary>
/// Echo round trips: every socket is opened first (not measured), then each runs one loop of
/// "send, await the echo" until the stop time. Rate = completed round trips / elapsed time. With
/// --measure-pids, the CPU time those processes use during the loops, per round trip: the
/// opening (logins, TLS and upgrade handshakes) is the handshake scenario's to measure.
/// </summary>
internal static class EchoRun
{
    public static async Task<RunResult> RunAsync(ClientOptions options, SocketFactory factory)
    {
        using var opening = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var set = new SocketSet(options, factory);
        var credentials = await set.LoginAllAsync(options.Connections, opening.Token);
        var sockets = await set.ConnectAllAsync(credentials, opening.Token);
        var startedLate = await StartSignal.WaitAsync(options);

        // The loops stop themselves at the stop time; the token only bounds a round trip that hangs.
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(options.Seconds + 30));
        var stopAt = Stopwatch.GetTimestamp() + (long)(options.Seconds * Stopwatch.Frequency);
        var payload = EchoMessage.Payload(options.MessageBytes);
        var samples = sockets.Select(_ => new LatencySamples()).ToArray();
        long errors = 0;
        var cpuBefore = ProcessCpu.Used(options.MeasurePids);
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(sockets.Select(async (socket, i) =>
        {
            var receive = new byte[Math.Max(1024, options.MessageBytes)];
            try
            {
                while (Stopwatch.GetTimestamp() < stopAt)
                {
                    var t0 = Stopwatch.GetTimestamp();
                    await EchoMessage.RoundTripAsync(socket, payload, receive, bound.Token);
                    samples[i].Add(Stopwatch.GetTimestamp() - t0);
                }
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or InvalidDataException)
            {
                Interlocked.Increment(ref errors);
                set.RecordFailure(ex);
            }
        }));
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpu = ProcessCpu.Used(options.MeasurePids) - cpuBefore;

        await SocketSet.CloseAllAsync(sockets);
        var count = samples.Sum(s => (long)s.Count);
        var (p50, p99) = LatencySamples.Percentiles(samples);
        return new RunResult
        {
            Mode = options.Mode,
            Connections = options.Connections,
            Opened = sockets.Count,
            Failed = set.Failed,
            FirstError = set.FirstError,
            CsrfToken = credentials.Any(c => c?.CsrfToken is not null),
            DurationSeconds = elapsed,
            Count = count,
            Rate = count / elapsed,
            P50Ms = p50,
            P99Ms = p99,
            Errors = errors,
            CpuUsPerOp = options.MeasurePids.Count > 0 && count > 0 ? Math.Round(cpu.TotalMicroseconds / count, 2) : null,
            StartedLateMs = startedLate,
        };
    }
}
