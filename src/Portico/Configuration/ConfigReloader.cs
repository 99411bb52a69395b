using Portico.Audit;

namespace Portico.Configuration;

/// <summary>
/// Applies a changed configuration file: the new file is validated as a whole; if it has any error
/// the active snapshot stays as it was. Listener, certificate, data directory, demo engine, QPS API
/// and audit settings are bound at start-up, so they keep their running values until a restart (and the log
/// says so); everything else takes effect at once, in one swap.
/// </summary>
/// <param name="shared">Cluster mode only: the virtual proxies come from the cluster database, not the file (docs/cluster.md).</param>
internal sealed partial class ConfigReloader(ConfigSnapshotStore store, AuditLog audit, ILogger<ConfigReloader> logger, Cluster.SharedConfiguration? shared = null)
{
    // One apply at a time: in cluster mode a file edit, the change feed and an admin write may race,
    // and none may put back an older cluster version than the one running.
    private readonly Lock _applying = new();

    public ConfigReloadOutcome ReloadFile(string path)
    {
        lock (_applying)
        {
            var loaded = shared?.LoadFile() ?? ConfigLoader.LoadFile(path);
            if (loaded.ContentHash is not null && loaded.ContentHash == store.Current.ContentHash)
            {
                return ConfigReloadOutcome.Unchanged;
            }

            return ApplyLocked(loaded);
        }
    }

    public ConfigReloadOutcome Apply(ConfigLoadResult loaded)
    {
        lock (_applying)
        {
            return ApplyLocked(loaded);
        }
    }

    /// <summary>Applies what <paramref name="compose"/> makes, composed under the same lock as every apply; null from it is nothing to apply.</summary>
    public ConfigReloadOutcome Apply(Func<ConfigLoadResult?> compose)
    {
        lock (_applying)
        {
            return compose() is { } loaded ? ApplyLocked(loaded) : ConfigReloadOutcome.Unchanged;
        }
    }

    private ConfigReloadOutcome ApplyLocked(ConfigLoadResult loaded)
    {
        if (Cluster.SharedConfigDocument.SharedVersionOf(loaded.ContentHash) is var incoming and > 0
            && incoming < Cluster.SharedConfigDocument.SharedVersionOf(store.Current.ContentHash))
        {
            // Cluster mode: a newer version of the cluster's virtual proxies already runs.
            return ConfigReloadOutcome.Unchanged;
        }

        if (!loaded.IsValid)
        {
            Log.ReloadRejected(logger, loaded.Errors.Count);
            audit.Record(AuditEvents.ConfigRejected(loaded.Errors));
            foreach (var error in loaded.Errors)
            {
                Log.ReloadError(logger, error.ToString());
            }

            return new ConfigReloadOutcome(false, loaded.Errors, []);
        }

        var running = store.Current.Config;
        var next = loaded.Config!;
        var needRestart = RestartOnlyChanges(running, next);
        foreach (var field in needRestart)
        {
            Log.NeedsRestart(logger, field);
        }

        var effective = next with
        {
            Listeners = running.Listeners,
            Certificate = running.Certificate,
            DataDirectory = running.DataDirectory,
            DemoEngine = running.DemoEngine,
            QpsApi = running.QpsApi,
            Logging = next.Logging with { Format = running.Logging.Format, Timestamps = running.Logging.Timestamps, Levels = running.Logging.Levels },
            Audit = running.Audit,
        };
        var snapshot = store.Swap(effective, loaded.BaseDirectory, loaded.ContentHash);
        Log.Reloaded(logger, snapshot.Version, snapshot.VirtualProxies.All.Count);
        audit.Record(AuditEvents.ConfigApplied(snapshot.Version, "reload", needRestart));
        ConfigWarnings.Write(logger, snapshot);
        return new ConfigReloadOutcome(true, [], needRestart);
    }

    internal static IReadOnlyList<string> RestartOnlyChanges(PorticoConfig running, PorticoConfig next)
    {
        var changed = new List<string>();
        if (running.Listeners != next.Listeners)
        {
            changed.Add("listeners");
        }

        if (running.Certificate != next.Certificate)
        {
            changed.Add("certificate");
        }

        if (running.DataDirectory != next.DataDirectory)
        {
            changed.Add("dataDirectory");
        }

        if (running.DemoEngine != next.DemoEngine)
        {
            changed.Add("demoEngine");
        }

        if (running.Shutdown != next.Shutdown)
        {
            changed.Add("shutdown");
        }

        if (running.Audit != next.Audit)
        {
            changed.Add("audit");
        }

        if (!QpsApiEquals(running.QpsApi, next.QpsApi))
        {
            changed.Add("qpsApi");
        }

        // The access log's switch applies at once; the rest of logging shapes the log at start.
        if (running.Logging.Format != next.Logging.Format || running.Logging.Timestamps != next.Logging.Timestamps
            || !running.Logging.Levels.OrderBy(l => l.Key, StringComparer.Ordinal).SequenceEqual(next.Logging.Levels.OrderBy(l => l.Key, StringComparer.Ordinal)))
        {
            changed.Add("logging");
        }

        return changed;
    }

    private static bool QpsApiEquals(QpsApiConfig a, QpsApiConfig b) =>
        a.TrustDevelopmentCa == b.TrustDevelopmentCa
        && a.TicketLifetimeSeconds == b.TicketLifetimeSeconds
        && a.TrustedClientCaPaths.SequenceEqual(b.TrustedClientCaPaths)
        && a.TrustedClientThumbprints.SequenceEqual(b.TrustedClientThumbprints);

    private static partial class Log
    {
        [LoggerMessage(101, LogLevel.Error, "Configuration change rejected: {Count} error(s); the previous configuration stays active.")]
        public static partial void ReloadRejected(ILogger logger, int count);

        [LoggerMessage(102, LogLevel.Error, "  {Error}")]
        public static partial void ReloadError(ILogger logger, string error);

        [LoggerMessage(103, LogLevel.Warning, "Configuration field '{Field}' changed; it takes effect after a restart.")]
        public static partial void NeedsRestart(ILogger logger, string field);

        [LoggerMessage(104, LogLevel.Information, "Configuration version {Version} is active ({Count} virtual proxies).")]
        public static partial void Reloaded(ILogger logger, long version, int count);
    }
}

internal sealed record ConfigReloadOutcome(bool Applied, IReadOnlyList<ConfigError> Errors, IReadOnlyList<string> NeedRestart)
{
    public static ConfigReloadOutcome Unchanged { get; } = new(false, [], []);
}
