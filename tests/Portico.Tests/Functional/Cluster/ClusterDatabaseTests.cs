using Portico.Cluster;
using Portico.Configuration;
using Portico.Tests.Support;

namespace Portico.Tests.Functional.Cluster;

/// <summary>
/// Tests of the stores on a real PostgreSQL database of their own, with "nodes" that are cluster
/// databases opened side by side on it (each as a node would); all are closed when the tests end.
/// </summary>
public abstract class ClusterDatabaseTests(string databaseName) : IAsyncLifetime
{
    private readonly List<ClusterDatabase> _opened = [];

    protected ManualTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    protected string ConnectionString { get; private set; } = string.Empty;

    public async Task InitializeAsync() => ConnectionString = await (await PostgresServer.Shared).CreateDatabaseAsync(databaseName);

    public async Task DisposeAsync()
    {
        foreach (var database in _opened)
        {
            await database.DisposeAsync();
        }
    }

    /// <param name="connectionString">Another database than the class's (a test that needs an empty one).</param>
    private protected ClusterDatabase Open(string node, string? connectionString = null)
    {
        var database = ClusterDatabase.Open(new ClusterModeConfig { NodeName = node, Postgres = connectionString ?? ConnectionString }, Time);
        lock (_opened)
        {
            _opened.Add(database);
        }

        return database;
    }
}
