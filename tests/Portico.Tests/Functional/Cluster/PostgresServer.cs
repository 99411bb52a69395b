using Npgsql;
using Portico.Tests.Support;
using Portico.TestSupport;

namespace Portico.Tests.Functional.Cluster;

/// <summary>
/// A private PostgreSQL server for the cluster tests: Debian's binaries (/usr/lib/postgresql/*/bin),
/// initdb into a temporary folder, its own free port on 127.0.0.1 and its own socket folder, trust
/// authentication on the loopback address only, durability off (a test server). Run as the
/// postgres user when the tests run as root. <see cref="Shared"/> serves every test class (one
/// database each); fault tests start their own. Stopped when disposed, and at the end of the run.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private static readonly Lazy<Task<PostgresServer>> SharedServer = new(() => StartAsync());
    private static readonly List<PostgresServer> Running = [];
    private int _databases;

    static PostgresServer()
    {
        // The last line of defence: no server outlives the test run, even one a test forgot.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            lock (Running)
            {
                foreach (var server in Running.ToList())
                {
                    server.StopAsync().GetAwaiter().GetResult();
                }
            }
        };
    }

    private PostgresServer(string binDirectory, string directory, int port)
    {
        BinDirectory = binDirectory;
        Directory = directory;
        Port = port;
    }

    public string BinDirectory { get; }

    public string Directory { get; }

    public int Port { get; }

    private string DataDirectory => Path.Combine(Directory, "data");

    /// <summary>The server every cluster test class shares (each in its own database).</summary>
    public static Task<PostgresServer> Shared => SharedServer.Value;

    public static async Task<PostgresServer> StartAsync()
    {
        var bin = FindBinDirectory();
        var directory = Path.Combine(Path.GetTempPath(), "portico-pg-" + Guid.NewGuid().ToString("n")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        var server = new PostgresServer(bin, directory, FreePorts.Loopback());
        await RunAsync("chmod", ["755", directory]);
        if (IsRoot)
        {
            await RunAsync("chown", ["postgres:postgres", directory]);
        }

        await server.RunAsPostgresAsync("initdb", ["-D", server.DataDirectory, "-U", "postgres", "--auth=trust", "--no-sync", "--encoding=UTF8", "--locale=C"]);
        await File.AppendAllTextAsync(Path.Combine(server.DataDirectory, "postgresql.conf"), $"""

            listen_addresses = '127.0.0.1'
            port = {server.Port}
            unix_socket_directories = '{directory}'
            max_connections = 300
            fsync = off
            synchronous_commit = off
            full_page_writes = off
            shared_buffers = 32MB
            """);
        // Only the loopback address, nothing else.
        await File.WriteAllTextAsync(Path.Combine(server.DataDirectory, "pg_hba.conf"), "local all all trust\nhost all all 127.0.0.1/32 trust\n");
        lock (Running)
        {
            Running.Add(server);
        }

        await server.StartServerAsync();
        return server;
    }

    /// <summary>Starts (again) the stopped server, and waits until it takes connections.</summary>
    public async Task StartServerAsync()
    {
        await RunAsPostgresAsync("pg_ctl", ["-D", DataDirectory, "-l", Path.Combine(Directory, "server.log"), "-w", "-t", "60", "start"]);
    }

    /// <summary>Stops the server at once (connections are cut), leaving its data for <see cref="StartServerAsync"/>.</summary>
    public Task StopServerAsync() => RunAsPostgresAsync("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "stop"]);

    /// <summary>A new, empty database of its own.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = $"{prefix.ToLowerInvariant()}_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid().ToString("n")[..6]}";
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database, Timeout = 5 }.ConnectionString;

    private async Task StopAsync()
    {
        if (System.IO.Directory.Exists(Path.Combine(DataDirectory, "base")) && File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            try
            {
                await RunAsPostgresAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"]);
            }
            catch (InvalidOperationException)
            {
                // Already stopped.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        lock (Running)
        {
            Running.Remove(this);
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static bool IsRoot => Environment.UserName == "root";

    private Task RunAsPostgresAsync(string tool, IEnumerable<string> args)
    {
        var path = Path.Combine(BinDirectory, tool);
        return IsRoot ? RunAsync("runuser", ["-u", "postgres", "--", path, .. args]) : RunAsync(path, args);
    }

    private static async Task RunAsync(string file, IEnumerable<string> args)
    {
        var start = ChildProcess.StartInfo(file, args, Path.GetTempPath());
        var (exitCode, output) = await ChildProcess.RunToEndAsync(start, TimeSpan.FromSeconds(90));
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({exitCode}): {output}");
        }
    }

    private static string FindBinDirectory()
    {
        var found = System.IO.Directory.Exists("/usr/lib/postgresql")
            ? System.IO.Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb"))).OrderDescending().FirstOrDefault()
            : null;
        return found ?? throw new InvalidOperationException("PostgreSQL's server is not installed (no /usr/lib/postgresql/*/bin/initdb): ./test.sh installs Debian's postgresql package.");
    }
}
