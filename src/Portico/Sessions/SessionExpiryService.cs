namespace Portico.Sessions;

/// <summary>Ends expired sessions on a timer, so an idle session's sockets close even if nobody uses its cookie again.</summary>
internal sealed partial class SessionExpiryService(SessionManager sessions, TimeProvider time, ILogger<SessionExpiryService> logger) : BackgroundService
{
    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(SweepInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await sessions.SweepAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Log.SweepFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(6003, LogLevel.Error, "Session expiry sweep failed; it runs again at the next interval.")]
        public static partial void SweepFailed(ILogger logger, Exception exception);
    }
}
