using System.Net.Sockets;
using System.Security.Cryptography;
using Npgsql;
using Portico.Configuration;

namespace Portico.Cluster;

/// <summary>
/// The cluster's PostgreSQL database as this node sees it: the connection pool, whether the database
/// answers, and since when it does not. Every statement goes through <see cref="RunAsync{T}"/>, so a
/// lost database is noticed once, logged once, and turned into <see cref="SharedStoreUnavailableException"/>.
/// </summary>
internal sealed partial class ClusterDatabase : IAsyncDisposable
{
    private readonly TimeProvider _time;
    private long _lastContactTicks;
    private int _lost;
    private ILogger _logger = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    private ClusterDatabase(NpgsqlDataSource dataSource, ClusterModeConfig config, string redactedConnectionString, TimeProvider time)
    {
        DataSource = dataSource;
        NodeName = config.NodeName;
        Grace = TimeSpan.FromSeconds(config.DatabaseGraceSeconds);
        ActivityFlushInterval = TimeSpan.FromSeconds(config.ActivityFlushSeconds);
        ChangePollInterval = TimeSpan.FromSeconds(config.ChangePollSeconds);
        RedactedConnectionString = redactedConnectionString;
        _time = time;
        MarkContact();
    }

    public NpgsqlDataSource DataSource { get; }

    public string NodeName { get; }

    public TimeSpan Grace { get; }

    public TimeSpan ActivityFlushInterval { get; }

    public TimeSpan ChangePollInterval { get; }

    /// <summary>The connection string without its password, for logs and errors.</summary>
    public string RedactedConnectionString { get; }

    /// <summary>How many migrations this node applied at start (0: the schema was current).</summary>
    public int MigrationsApplied { get; private set; }

    /// <summary>The random id made with the schema: a different one means the database was recreated.</summary>
    public Guid Epoch { get; set; }

    public bool IsAvailable => Volatile.Read(ref _lost) == 0;

    public DateTimeOffset LastContact => new(Interlocked.Read(ref _lastContactTicks), TimeSpan.Zero);

    /// <summary>True while the database answers, and for <see cref="Grace"/> after it last did: sessions this node holds are served.</summary>
    public bool ServesCachedSessions => IsAvailable || _time.GetUtcNow() - LastContact <= Grace;

    /// <summary>Opens the pool, migrates the schema and reads the epoch; throws <see cref="ClusterStartException"/> when the database cannot be used.</summary>
    public static ClusterDatabase Open(ClusterModeConfig config, TimeProvider time)
    {
        var builder = new NpgsqlConnectionStringBuilder(config.Postgres);
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = "portico " + config.NodeName;
        }

        var redacted = new NpgsqlConnectionStringBuilder(builder.ConnectionString) { Password = null }.ConnectionString;
        var dataSource = new NpgsqlDataSourceBuilder(builder.ConnectionString).Build();
        var database = new ClusterDatabase(dataSource, config, redacted, time);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            database.MigrationsApplied = ClusterSchema.MigrateAsync(dataSource, config.NodeName, timeout.Token).GetAwaiter().GetResult();
            database.Epoch = database.ReadEpochAsync(timeout.Token).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is NpgsqlException or SocketException or IOException or TimeoutException or OperationCanceledException or InvalidOperationException)
        {
            dataSource.Dispose();
            throw new ClusterStartException($"the cluster database ({redacted}) cannot be used: {ex.Message}. Check cluster.postgres, that the server runs, that the role may connect (PGPASSWORD or a password file) and may create tables in the database.", ex);
        }

        return database;
    }

    public void UseLogger(ILogger logger) => _logger = logger;

    public async Task<Guid> ReadEpochAsync(CancellationToken cancellationToken) =>
        await RunAsync("read the epoch", async connection =>
        {
            await using var command = new NpgsqlCommand("SELECT epoch FROM portico_epoch", connection);
            return (Guid)(await command.ExecuteScalarAsync(cancellationToken))!;
        }, cancellationToken);

    /// <summary>The key called <paramref name="name"/>, made once by whichever node asks first (256 random bits) and the same for every node after.</summary>
    public byte[] LoadOrCreateKey(string name) => LoadOrCreateKey(name, () => RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// The key material called <paramref name="name"/>: read if a node stored it, else made by
    /// <paramref name="create"/> and stored unless another node stored its own first; every node
    /// returns the one stored. <paramref name="create"/> runs only when none is stored (it may be slow).
    /// </summary>
    public byte[] LoadOrCreateKey(string name, Func<byte[]> create) =>
        RunAsync("load key material", async connection =>
        {
            if (await ReadKeyAsync(connection, name) is { } existing)
            {
                return existing;
            }

            // Two statements: the read must see a key another node inserted first, which a single
            // statement's snapshot would not.
            await using (var insert = new NpgsqlCommand("INSERT INTO portico_keys (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING", connection))
            {
                insert.Parameters.AddWithValue(name);
                insert.Parameters.AddWithValue(create());
                await insert.ExecuteNonQueryAsync();
            }

            return (await ReadKeyAsync(connection, name))!;
        }, CancellationToken.None).GetAwaiter().GetResult();

    private static async Task<byte[]?> ReadKeyAsync(NpgsqlConnection connection, string name)
    {
        await using var command = new NpgsqlCommand("SELECT value FROM portico_keys WHERE name = $1", connection);
        command.Parameters.AddWithValue(name);
        return await command.ExecuteScalarAsync() as byte[];
    }

    /// <summary>Runs <paramref name="work"/> on a pooled connection; a database that cannot be reached becomes <see cref="SharedStoreUnavailableException"/>.</summary>
    public async Task<T> RunAsync<T>(string what, Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
            var result = await work(connection);
            MarkContact();
            return result;
        }
        catch (Exception ex) when (IsConnectionLoss(ex) && !cancellationToken.IsCancellationRequested)
        {
            MarkLost(what, ex);
            throw new SharedStoreUnavailableException($"The cluster database cannot be reached ({what}).", ex);
        }
    }

    public void MarkContact()
    {
        Interlocked.Exchange(ref _lastContactTicks, _time.GetUtcNow().UtcTicks);
        if (Interlocked.Exchange(ref _lost, 0) == 1)
        {
            Log.Reconnected(_logger, RedactedConnectionString);
        }
    }

    public void MarkLost(string what, Exception exception)
    {
        // Pooled connections to a server that went away are all dead: none is handed out again.
        DataSource.Clear();
        if (Interlocked.Exchange(ref _lost, 1) == 0)
        {
            Log.Lost(_logger, RedactedConnectionString, what, exception.Message, (int)Grace.TotalSeconds);
        }
    }

    /// <summary>Errors that say the database is gone, as opposed to a statement it refused.</summary>
    public static bool IsConnectionLoss(Exception exception) => exception switch
    {
        PostgresException postgres => postgres.SqlState.StartsWith("08", StringComparison.Ordinal) || postgres.SqlState.StartsWith("57", StringComparison.Ordinal)
            || postgres.SqlState.StartsWith("53", StringComparison.Ordinal),
        NpgsqlException => true,
        SocketException or IOException or TimeoutException => true,
        InvalidOperationException when exception.InnerException is not null => IsConnectionLoss(exception.InnerException),
        _ => false,
    };

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();

    private static partial class Log
    {
        [LoggerMessage(12001, LogLevel.Error, "Cluster database lost ({ConnectionString}) while trying to {What}: {Reason}. Sessions held by this node are served for {GraceSeconds} s; logins, logouts and tickets get 503 until it returns.")]
        public static partial void Lost(ILogger logger, string connectionString, string what, string reason, int graceSeconds);

        [LoggerMessage(12002, LogLevel.Warning, "Cluster database reachable again ({ConnectionString}).")]
        public static partial void Reconnected(ILogger logger, string connectionString);
    }
}
