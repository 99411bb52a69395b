using System.Net.WebSockets;

namespace Portico.Bench.LoadClient;

/// <summary>
/// Opens many sockets with bounded parallelism, in two phases (all logins, then all upgrades) so
/// that the memory of sessions and of sockets can be told apart.
/// </summary>
internal sealed class SocketSet(ClientOptions options, SocketFactory factory)
{
    private int _failed;
    private string? _firstError;

    public int Failed => _failed;

    public string? FirstError => _firstError;

    public async Task<Credentials?[]> LoginAllAsync(int count, CancellationToken cancellationToken)
    {
        var credentials = new Credentials?[count];
        await ForEachAsync(count, async i => credentials[i] = await factory.LoginAsync(cancellationToken));
        return credentials;
    }

    public async Task<List<ClientWebSocket>> ConnectAllAsync(Credentials?[] credentials, CancellationToken cancellationToken)
    {
        var sockets = new ClientWebSocket?[credentials.Length];
        await ForEachAsync(credentials.Length, async i =>
        {
            if (credentials[i] is { } c)
            {
                sockets[i] = await factory.ConnectAsync(c, cancellationToken);
            }
        });
        return sockets.OfType<ClientWebSocket>().ToList();
    }

    public void RecordFailure(Exception ex)
    {
        Interlocked.Increment(ref _failed);
        Interlocked.CompareExchange(ref _firstError, $"{ex.GetType().Name}: {ex.Message}", null);
    }

    /// <summary>Closes politely for a short while, then aborts whatever is left: the run must end on time.</summary>
    public static async Task CloseAllAsync(IEnumerable<ClientWebSocket> sockets)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await Parallel.ForEachAsync(sockets, new ParallelOptions { MaxDegreeOfParallelism = 256 }, async (socket, _) =>
        {
            try
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
            {
                socket.Abort();
            }
            finally
            {
                socket.Dispose();
            }
        });
    }

    private async Task ForEachAsync(int count, Func<int, Task> open)
    {
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = options.OpenParallelism }, async (i, _) =>
        {
            try
            {
                await open(i);
            }
            catch (Exception ex) when (ex is WebSocketException or HttpRequestException or OperationCanceledException or IOException)
            {
                RecordFailure(ex);
            }
        });
    }
}
