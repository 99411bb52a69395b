using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Portico.Configuration;

namespace Portico.Cluster;

/// <summary>A version of the cluster's part of the configuration, as stored in <c>portico_config</c>.</summary>
/// <param name="Json">The shared sections as one JSON object (<c>{"virtualProxies": [...]}</c>), as written.</param>
internal sealed record SharedConfigVersion(string Json, long Version, DateTimeOffset ModifiedAt, string ModifiedBy);

/// <summary>
/// Cluster mode's configuration: the virtual proxies live in PostgreSQL (one row, versioned), the
/// rest in each node's file. This node's view of it: the latest version read from the database, the
/// statements that seed, read and change it, and the composition of a version with this node's file
/// into the configuration the node runs (validated as a whole, as any reload). The first node on an
/// empty database seeds it from its file; afterwards the database wins and a file's virtual proxies
/// are ignored with a warning. See docs/cluster.md, "Configuration".
/// </summary>
internal sealed partial class SharedConfiguration
{
    /// <summary>Not the migration lock: seeding runs after migrating, in a transaction of its own.</summary>
    private const long SeedLockKey = 0x706f727469636f + 1;

    private const int RecentVersions = 8;

    private readonly ClusterDatabase _database;
    private readonly string? _filePath;
    private readonly string _baseDirectory;
    private readonly byte[]? _inlineFile;
    private readonly Lock _lock = new();
    private readonly Dictionary<long, SharedConfigVersion> _recent = [];
    private readonly List<Action<ILogger>> _pendingLogs = [];
    private SharedConfigVersion _latest = new("{}", 0, DateTimeOffset.MinValue, "");
    private string? _warnedFor;
    private ILogger? _logger;

    private SharedConfiguration(ClusterDatabase database, string? filePath, string baseDirectory, byte[]? inlineFile)
    {
        _database = database;
        _filePath = filePath is null ? null : Path.GetFullPath(filePath);
        _baseDirectory = baseDirectory;
        _inlineFile = inlineFile;
    }

    /// <summary>The configuration this node starts with: its file, with the cluster's virtual proxies.</summary>
    public ConfigLoadResult Initial { get; private set; } = null!;

    /// <summary>Shown in the admin API's messages.</summary>
    public string Description => $"the cluster database ({_database.RedactedConnectionString}), table portico_config";

    public string NodeName => _database.NodeName;

    public string BaseDirectory => _baseDirectory;

    /// <summary>False from a failed statement until the database answers again (the change feed reconnects every 2 s at most).</summary>
    public bool DatabaseAvailable => _database.IsAvailable;

    /// <summary>The newest version this node has read from (or written to) the database.</summary>
    public SharedConfigVersion Latest
    {
        get
        {
            lock (_lock)
            {
                return _latest;
            }
        }
    }

    /// <summary>
    /// Seeds the database from the file if it has no configuration yet (under an advisory lock, so of
    /// nodes starting together one seeds), reads the cluster's version, and composes it with the file.
    /// Throws <see cref="ClusterStartException"/> when the result does not validate on this node.
    /// </summary>
    /// <param name="fileLoaded">The node's file, already validated on its own.</param>
    public static SharedConfiguration Start(ClusterDatabase database, string? filePath, ConfigLoadResult fileLoaded)
    {
        try
        {
            return StartOrThrow(database, filePath, fileLoaded);
        }
        catch (ClusterStartException)
        {
            // The node does not start: its connections go now, not when the process ends.
            database.DataSource.Dispose();
            throw;
        }
    }

    private static SharedConfiguration StartOrThrow(ClusterDatabase database, string? filePath, ConfigLoadResult fileLoaded)
    {
        // Without a file (a host given its configuration directly), its configuration written out stands in for one.
        var inline = filePath is null ? Encoding.UTF8.GetBytes(JsonSerializer.Serialize(fileLoaded.Config, ConfigJson.Options)) : null;
        var shared = new SharedConfiguration(database, filePath, fileLoaded.BaseDirectory, inline);
        var file = shared.ReadNodeFile();
        if (file.Root is null)
        {
            throw new ClusterStartException($"the configuration file cannot be read again: {string.Join("; ", file.Failure!.Errors)}", new InvalidOperationException());
        }

        var fromFile = SharedConfigDocument.Serialize(SharedConfigDocument.Extract(file.Root));
        SharedConfigVersion current;
        bool seeded;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            (current, seeded) = shared.SeedOrReadAsync(fromFile, seedVersion: 1, timeout.Token).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is SharedStoreUnavailableException or NpgsqlException or OperationCanceledException)
        {
            throw new ClusterStartException($"the cluster's configuration cannot be read from {shared.Description}: {ex.Message}", ex);
        }

        shared.Remember(current);
        var initial = shared.Compose(current, file);
        if (!initial.IsValid)
        {
            throw new ClusterStartException(
                $"the cluster's virtual proxies (configuration version {current.Version}, changed by {current.ModifiedBy}) do not validate with this node's configuration: "
                + string.Join("; ", initial.Errors) + ". Fix this node's file (or the files it names), or change the virtual proxies through another node's admin API.",
                new InvalidOperationException());
        }

        shared.Initial = initial;
        if (seeded)
        {
            shared._pendingLogs.Add(logger => Log.Seeded(logger, current.Version, shared.FileName));
        }
        else
        {
            shared.WarnIfFileDiffers(file, current);
        }

        return shared;
    }

    /// <summary>Logs what happened before logging was set up (the seeding, a file that differs).</summary>
    public void UseLogger(ILogger logger)
    {
        List<Action<ILogger>> pending;
        lock (_lock)
        {
            if (_logger is not null)
            {
                return;
            }

            _logger = logger;
            pending = [.. _pendingLogs];
            _pendingLogs.Clear();
        }

        foreach (var log in pending)
        {
            log(logger);
        }
    }

    /// <summary>A version seen recently (the one this node runs, when the database cannot be reached).</summary>
    public SharedConfigVersion? Find(long version)
    {
        lock (_lock)
        {
            return _recent.GetValueOrDefault(version);
        }
    }

    /// <summary>
    /// The file watcher's load in cluster mode: the node's file as it is now, with the latest cluster
    /// version in place of the file's virtual proxies (which are ignored, with a warning when they differ).
    /// </summary>
    public ConfigLoadResult LoadFile()
    {
        var file = ReadNodeFile();
        var latest = Latest;
        if (file.Root is not null)
        {
            WarnIfFileDiffers(file, latest);
        }

        return Compose(latest, file);
    }

    /// <summary>The node's file as it is now, with <paramref name="shared"/> in place of the file's virtual proxies; validated as a whole.</summary>
    public ConfigLoadResult Compose(SharedConfigVersion shared) => Compose(shared, ReadNodeFile());

    /// <summary>
    /// The text of the node's file with <paramref name="shared"/> in place of its virtual proxies, and
    /// the file's hash, for the admin API; a file that is no JSON object is returned as it is (its
    /// errors are then reported as a broken stored configuration).
    /// </summary>
    public (string Text, string FileHash) ComposeText(SharedConfigVersion shared)
    {
        var file = ReadNodeFile();
        return file.Root is null
            ? (file.Text, file.Hash)
            : (SharedConfigDocument.Serialize(SharedConfigDocument.Compose(file.Root, SharedConfigDocument.ParseStored(shared.Json) ?? [])) + "\n", file.Hash);
    }

    /// <summary>The hash of this node's file as it is now (a write based on another one is refused).</summary>
    public string FileHash() => ReadNodeFile().Hash;

    /// <summary>The cluster's configuration as stored now; seeded again from this node's if the row is gone (a recreated database).</summary>
    public async Task<SharedConfigVersion> ReadAsync(CancellationToken cancellationToken)
    {
        var read = await _database.RunAsync("read the cluster configuration", async connection =>
        {
            await using var command = new NpgsqlCommand("SELECT shared::text, version, modified_at, modified_by FROM portico_config", connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? Row(reader) : null;
        }, cancellationToken);

        if (read is null)
        {
            // Versions stay increasing across a recreated database, so every node takes the seeded one.
            var latest = Latest;
            (read, _) = await SeedOrReadAsync(latest.Json, latest.Version + 1, cancellationToken);
        }

        Remember(read);
        return read;
    }

    /// <summary>
    /// Replaces the cluster's configuration if it is still at <paramref name="expectedVersion"/>; the
    /// change, its entry in the change log and the wake-up of every node commit together.
    /// </summary>
    /// <returns>The version written; null when another write came first (nothing written).</returns>
    public async Task<SharedConfigVersion?> WriteAsync(string sharedJson, long expectedVersion, CancellationToken cancellationToken)
    {
        var written = await _database.RunAsync("change the cluster configuration", async connection =>
        {
            await using var command = new NpgsqlCommand(
                """
                WITH changed AS (
                    UPDATE portico_config SET shared = $1::json, version = version + 1, modified_at = now(), modified_by = $3
                    WHERE version = $2 RETURNING shared::text, version, modified_at, modified_by),
                logged AS (INSERT INTO portico_changes (kind, subject, reason, node) SELECT 'config', '\x'::bytea, version::text, $3 FROM changed)
                SELECT changed.*, pg_notify('portico_changes', '') FROM changed
                """, connection);
            command.Parameters.AddWithValue(sharedJson);
            command.Parameters.AddWithValue(expectedVersion);
            command.Parameters.AddWithValue(_database.NodeName);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? Row(reader) : null;
        }, cancellationToken);

        if (written is not null)
        {
            Remember(written);
        }

        return written;
    }

    private async Task<(SharedConfigVersion Version, bool Seeded)> SeedOrReadAsync(string sharedJson, long seedVersion, CancellationToken cancellationToken) =>
        await _database.RunAsync("seed the cluster configuration", async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", connection, transaction))
            {
                lockCommand.Parameters.AddWithValue(SeedLockKey);
                await lockCommand.ExecuteNonQueryAsync(cancellationToken);
            }

            SharedConfigVersion? existing;
            await using (var read = new NpgsqlCommand("SELECT shared::text, version, modified_at, modified_by FROM portico_config", connection, transaction))
            await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
            {
                existing = await reader.ReadAsync(cancellationToken) ? Row(reader) : null;
            }

            if (existing is not null)
            {
                await transaction.CommitAsync(cancellationToken);
                return (existing, false);
            }

            SharedConfigVersion seeded;
            await using (var insert = new NpgsqlCommand(
                """
                WITH seeded AS (
                    INSERT INTO portico_config (shared, version, modified_at, modified_by) VALUES ($1::json, $2, now(), $3)
                    RETURNING shared::text, version, modified_at, modified_by),
                logged AS (INSERT INTO portico_changes (kind, subject, reason, node) SELECT 'config', '\x'::bytea, version::text, $3 FROM seeded)
                SELECT seeded.*, pg_notify('portico_changes', '') FROM seeded
                """, connection, transaction))
            {
                insert.Parameters.AddWithValue(sharedJson);
                insert.Parameters.AddWithValue(seedVersion);
                insert.Parameters.AddWithValue(_database.NodeName + " (seeded from its file)");
                await using var reader = await insert.ExecuteReaderAsync(cancellationToken);
                await reader.ReadAsync(cancellationToken);
                seeded = Row(reader);
            }

            await transaction.CommitAsync(cancellationToken);
            return (seeded, true);
        }, cancellationToken);

    private static SharedConfigVersion Row(NpgsqlDataReader reader) =>
        new(reader.GetString(0), reader.GetInt64(1), new DateTimeOffset(reader.GetFieldValue<DateTime>(2).ToUniversalTime(), TimeSpan.Zero), reader.GetString(3));

    private void Remember(SharedConfigVersion version)
    {
        lock (_lock)
        {
            _recent[version.Version] = version;
            if (_recent.Count > RecentVersions)
            {
                _recent.Remove(_recent.Keys.Min());
            }

            if (version.Version > _latest.Version)
            {
                _latest = version;
            }
        }
    }

    private ConfigLoadResult Compose(SharedConfigVersion shared, NodeFile file)
    {
        if (file.Root is null)
        {
            return file.Failure!;
        }

        if (SharedConfigDocument.ParseStored(shared.Json) is not { } stored)
        {
            // Portico only stores objects; a row edited by hand into something else is refused, never half-applied.
            return ConfigLoadResult.Failed(new ConfigError("portico_config.shared",
                $"(version {shared.Version}) is not a JSON object; write {{\"virtualProxies\": [...]}} back, or change any virtual proxy through the admin API of a node that runs"));
        }

        var composed = SharedConfigDocument.Compose(file.Root, stored);
        return ConfigLoader.Parse(SharedConfigDocument.Serialize(composed), _baseDirectory) with
        {
            ContentHash = SharedConfigDocument.ContentHash(file.Hash, shared.Version),
        };
    }

    private void WarnIfFileDiffers(NodeFile file, SharedConfigVersion shared)
    {
        var key = SharedConfigDocument.ContentHash(file.Hash, shared.Version);
        if (SharedConfigDocument.ParseStored(shared.Json) is not { } stored || !SharedConfigDocument.FileDiffers(file.Root!, stored))
        {
            return;
        }

        ILogger? logger;
        lock (_lock)
        {
            // Once per file content and cluster version: the watcher may load the same file again.
            if (_warnedFor == key)
            {
                return;
            }

            _warnedFor = key;
            logger = _logger;
            if (logger is null)
            {
                _pendingLogs.Add(l => Log.FileIgnored(l, FileName, shared.Version));
                return;
            }
        }

        Log.FileIgnored(logger, FileName, shared.Version);
    }

    private string FileName => _filePath ?? "(the configuration given at start)";

    private NodeFile ReadNodeFile()
    {
        byte[] bytes;
        if (_inlineFile is not null)
        {
            bytes = _inlineFile;
        }
        else
        {
            try
            {
                bytes = File.ReadAllBytes(_filePath!);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return new NodeFile(null, "", "", ConfigLoadResult.Failed(new ConfigError("(file)", $"cannot read '{_filePath}': {ex.Message}")));
            }
        }

        // As the loader does: the same hash, and a byte order mark is not JSON.
        var hash = Convert.ToHexString(SHA256.HashData(bytes));
        var text = Encoding.UTF8.GetString(bytes.AsSpan().StartsWith((byte[])[0xEF, 0xBB, 0xBF]) ? bytes.AsSpan(3) : bytes);
        try
        {
            if (JsonNode.Parse(text, documentOptions: ConfigJson.DocumentOptions) is JsonObject root)
            {
                return new NodeFile(root, hash, text, null);
            }
        }
        catch (JsonException)
        {
        }

        // Not an object: the loader says why, with the file's own line numbers.
        return new NodeFile(null, hash, text, ConfigLoader.Parse(text, _baseDirectory) with { ContentHash = hash });
    }

    private sealed record NodeFile(JsonObject? Root, string Hash, string Text, ConfigLoadResult? Failure);

    private static partial class Log
    {
        [LoggerMessage(12020, LogLevel.Information, "Cluster configuration: the database had none; this node stored the virtual proxies of {File} as version {Version}. From now on the database's virtual proxies are used by every node.")]
        public static partial void Seeded(ILogger logger, long version, string file);

        [LoggerMessage(12021, LogLevel.Warning, "Cluster mode: the virtualProxies in {File} differ from the cluster's (configuration version {Version}) and are ignored; this node serves the cluster's. Change virtual proxies through the admin API (docs/admin-api.md); the file's other sections apply as usual.")]
        public static partial void FileIgnored(ILogger logger, string file, long version);
    }
}
