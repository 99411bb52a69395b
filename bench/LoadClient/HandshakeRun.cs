using System.Diagnostics;
using System.Net.WebSockets;
using Portico.Bench.Shared;

namespace Portico.Bench.LoadClient;

/// <summary>
/// Complete socket lifetimes: connect (TCP, TLS, upgrade with the CSRF token), one echo, close
/// handshake. Each parallel loop logs in once, like a page that opens socket after socket; with
/// --measure-pids, the CPU time of those processes per handshake, over the loops (logins excluded).
/// </summary>
internal static class HandshakeRun
{
    /// <summary>A loop that keeps failing stops instead of spinning on refusals for the whole run.</summary>
    private const int MaxConsecutiveErrors = 20;

    public static async Task<RunResult> RunAsync(ClientOptions options, SocketFactory factory)
    {
        using var opening = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var set = new SocketSet(options, factory);
        var credentials = await set.LoginAllAsync(options.Connections, opening.Token);
        var startedLate = await StartSignal.WaitAsync(options);

        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(options.Seconds + 30));
        var stopAt = Stopwatch.GetTimestamp() + (long)(options.Seconds * Stopwatch.Frequency);
        var payload = EchoMessage.Payload(options.MessageBytes);
        var samples = credentials.Select(_ => new LatencySamples()).ToArray();
        long errors = 0;
        var cpuBefore = ProcessCpu.Used(options.MeasurePids);
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(credentials.Select(async (login, i) =>
        {
            if (login is null)
            {
                return;
            }

            var receive = new byte[Math.Max(1024, options.MessageBytes)];
            var consecutiveErrors = 0;
            while (Stopwatch.GetTimestamp() < stopAt && consecutiveErrors < MaxConsecutiveErrors)
            {
                var t0 = Stopwatch.GetTimestamp();
                try
                {
                    using var socket = await factory.ConnectAsync(login, bound.Token);
                    await EchoMessage.RoundTripAsync(socket, payload, receive, bound.Token);
                    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, bound.Token);
                    samples[i].Add(Stopwatch.GetTimestamp() - t0);
                    consecutiveErrors = 0;
                }
                catch (Exception ex) when (ex is WebSocketException or HttpRequestException or OperationCanceledException or IOException or InvalidDataException)
                {
                    Interlocked.Increment(ref errors);
                    set.RecordFailure(ex);
                    consecutiveErrors++;
                }
            }
        }));
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpu = ProcessCpu.Used(options.MeasurePids) - cpuBefore;

        var count = samples.Sum(s => (long)s.Count);
        var (p50, p99) = LatencySamples.Percentiles(samples);
        return new RunResult
        {
            Mode = options.Mode,
            Connections = options.Connections,
            Opened = credentials.Count(c => c is not null),
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
