using System.Buffers;

namespace Portico.Audit;

/// <summary>
/// Drains <see cref="AuditLog"/> in the background: every kept event before any refusal, the
/// aggregated refusals and the count of dropped ones at the end of each window, one flush per batch.
/// On stop it writes what is still queued, so the session ends of a drain are not lost.
/// </summary>
internal sealed partial class AuditWriter(AuditLog log, IReadOnlyList<IAuditSink> sinks, SessionIdHash sessionIds, TimeProvider time, ILogger<AuditWriter> logger) : BackgroundService
{
    /// <summary>How long repeats of a refusal are counted before they are written as one event.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromSeconds(10);

    private readonly ArrayBufferWriter<byte> _line = new(512);
    private readonly Lock _finalLock = new();
    private bool _failing;
    private bool _disposed;

    public TimeSpan Window { get; init; } = DefaultWindow;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var windowEnds = time.GetUtcNow() + Window;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                WriteQueued();
                if (time.GetUtcNow() >= windowEnds)
                {
                    CloseWindow();
                    windowEnds = time.GetUtcNow() + Window;
                }

                FlushSinks();
                await WaitAsync(windowEnds - time.GetUtcNow(), stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (ExecuteTask is { } running)
        {
            // The loop has seen the stop; once it has returned, it writes nothing more.
            await running.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        WriteRemaining();
    }

    /// <summary>
    /// Writes whatever is queued and the open window's counts. Run when the writer stops, and again
    /// once the whole host has stopped (see <see cref="AuditServiceCollectionExtensions"/>): requests
    /// that Kestrel lets finish after this service stopped still record their events.
    /// </summary>
    public void WriteRemaining()
    {
        lock (_finalLock)
        {
            if (_disposed)
            {
                return;
            }

            WriteQueued();
            CloseWindow();
            FlushSinks();
        }
    }

    public override void Dispose()
    {
        WriteRemaining();
        lock (_finalLock)
        {
            _disposed = true;
            foreach (var sink in sinks)
            {
                sink.Dispose();
            }
        }

        base.Dispose();
    }

    private async Task WaitAsync(TimeSpan until, CancellationToken stoppingToken)
    {
        if (until <= TimeSpan.Zero)
        {
            return;
        }

        using var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var kept = log.Kept.WaitToReadAsync(wake.Token).AsTask();
        var refused = log.Refusals.WaitToReadAsync(wake.Token).AsTask();
        var windowEnd = Task.Delay(until, time, wake.Token);
        await Task.WhenAny(kept, refused, windowEnd);
        await wake.CancelAsync();
        stoppingToken.ThrowIfCancellationRequested();
    }

    private void WriteQueued()
    {
        while (true)
        {
            while (log.Kept.TryRead(out var kept))
            {
                Write(kept);
            }

            if (!log.Refusals.TryRead(out var refused))
            {
                return;
            }

            Write(refused);
        }
    }

    private void CloseWindow()
    {
        var now = time.GetUtcNow();
        foreach (var aggregated in log.Aggregator.CloseWindow(now, Window))
        {
            Write(aggregated);
        }

        if (log.TakeDropped() is > 0 and var dropped)
        {
            Log.Dropped(logger, dropped);
            Write(new AuditEvent { Code = AuditCodes.RefusalsDropped, Outcome = AuditOutcome.Failure, At = now, Reason = "writer_behind", Count = dropped, WindowSeconds = (int)Window.TotalSeconds });
        }
    }

    private void Write(AuditEvent audited)
    {
        _line.ResetWrittenCount();
        AuditJson.WriteLine(_line, audited, sessionIds);
        foreach (var sink in sinks)
        {
            try
            {
                sink.Write(_line.WrittenSpan);
                _failing = false;
            }
            catch (IOException ex)
            {
                ReportFailure(ex);
            }
        }
    }

    private void FlushSinks()
    {
        foreach (var sink in sinks)
        {
            try
            {
                sink.Flush();
            }
            catch (IOException ex)
            {
                ReportFailure(ex);
            }
        }
    }

    /// <summary>Once per run of failures (a full disk fails every write), not once per line.</summary>
    private void ReportFailure(IOException ex)
    {
        if (!_failing)
        {
            _failing = true;
            Log.WriteFailed(logger, ex.Message);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(9001, LogLevel.Warning, "Audit log: {Count} refusal(s) were not written because the writer was behind; their number is in an audit.refusals_dropped event.")]
        public static partial void Dropped(ILogger logger, long count);

        [LoggerMessage(9002, LogLevel.Error, "Audit log: writing failed: {Message}. Events are lost until writing works again.")]
        public static partial void WriteFailed(ILogger logger, string message);
    }
}
