using Portico.Configuration;

namespace Portico.Cluster;

/// <summary>
/// Applies the cluster's configuration on this node when another node (or this one) changed it. The
/// change feed tells it the version stored at every catch-up (a notification, the poll, a
/// reconnect); a newer one is read, composed with this node's file and applied through
/// <see cref="ConfigReloader.Apply"/>, the path of a hot reload: validated as a whole, one snapshot
/// swap, open WebSockets untouched. A version this node cannot apply (a file it names is missing
/// here, say) is logged with every error, the node keeps the version it runs, and readiness fails
/// until a later version or a fixed file applies.
/// </summary>
internal sealed partial class SharedConfigFollower
{
    private readonly SharedConfiguration _shared;
    private readonly ConfigReloader _reloader;
    private readonly ConfigSnapshotStore _snapshots;
    private readonly ILogger<SharedConfigFollower> _logger;
    private volatile Rejection? _rejected;

    public SharedConfigFollower(SharedConfiguration shared, ConfigReloader reloader, ConfigSnapshotStore snapshots, ILogger<SharedConfigFollower> logger)
    {
        _shared = shared;
        _reloader = reloader;
        _snapshots = snapshots;
        _logger = logger;
        shared.UseLogger(logger);
    }

    /// <summary>The cluster configuration version this node runs.</summary>
    public long RunningVersion => SharedConfigDocument.SharedVersionOf(_snapshots.Current.ContentHash);

    /// <summary>Why this node does not run the cluster's latest configuration; null when it does (or is about to).</summary>
    public string? Problem => _rejected is { } rejected && rejected.Version > RunningVersion ? rejected.Message : null;

    /// <param name="storedVersion">The version in the database now; 0 when it has none (a recreated database, seeded again here).</param>
    public async Task ObserveAsync(long storedVersion, CancellationToken cancellationToken)
    {
        if (!NeedsRead(storedVersion, RunningVersion, _rejected?.Version))
        {
            return;
        }

        var latest = await _shared.ReadAsync(cancellationToken);
        var running = RunningVersion;
        // Decided and composed under the reloader's lock: an admin write or a file edit applied
        // meanwhile is seen, and this never puts back an older version.
        var outcome = _reloader.Apply(() =>
        {
            running = RunningVersion;
            return latest.Version <= running ? null : _shared.Compose(latest);
        });
        if (ReferenceEquals(outcome, ConfigReloadOutcome.Unchanged))
        {
            return;
        }

        if (outcome.Applied)
        {
            _rejected = null;
            Log.Applied(_logger, latest.Version, latest.ModifiedBy, _snapshots.Current.Version);
            return;
        }

        var errors = string.Join("; ", outcome.Errors);
        _rejected = new Rejection(latest.Version,
            $"cluster configuration version {latest.Version} (changed by {latest.ModifiedBy}) cannot be applied on this node: {errors}; it keeps version {running}");
        Log.CannotApply(_logger, latest.Version, latest.ModifiedBy, running, errors);
    }

    /// <summary>
    /// Whether a stored version calls for reading the database: one newer than the node runs and not
    /// already refused here (a refused one is tried again when the node's file changes, by the file
    /// watcher). 0 means the row is gone and must be seeded again.
    /// </summary>
    internal static bool NeedsRead(long storedVersion, long runningVersion, long? rejectedVersion) =>
        storedVersion == 0 || (storedVersion > runningVersion && storedVersion != rejectedVersion);

    private sealed record Rejection(long Version, string Message);

    private static partial class Log
    {
        [LoggerMessage(12022, LogLevel.Information, "Cluster configuration version {SharedVersion} (changed by {ChangedBy}) applied; configuration version {Version} is active.")]
        public static partial void Applied(ILogger logger, long sharedVersion, string changedBy, long version);

        [LoggerMessage(12023, LogLevel.Error, "Cluster configuration version {SharedVersion} (changed by {ChangedBy}) cannot be applied on this node, which keeps version {Running}: {Errors}. Fix this node's file or the files it names (the file watcher then applies it), or change the virtual proxy again through the admin API.")]
        public static partial void CannotApply(ILogger logger, long sharedVersion, string changedBy, long running, string errors);
    }
}
