using System.Text;

namespace Portico.Logging;

/// <summary>
/// Collects formatted log lines and writes them to an output stream in batches, from one thread of
/// its own. A line costs its caller an append under a short lock; the writer thread is woken only
/// when a line arrives in an empty batch, then writes everything that came in the meantime with
/// one write, and rests <see cref="MinInterval"/> before the next. At a few thousand requests per
/// second this is a write every few milliseconds instead of a wake-up and a write per line, which
/// was most of what the access log cost (see docs/operations.md, "Access log").
/// </summary>
/// <remarks>
/// Bounded: when <see cref="MaxPendingChars"/> are waiting (a stalled terminal or pipe), the caller
/// writes the batch itself, so a flood slows down the requests that cause it instead of growing
/// memory; no line is dropped. <see cref="Dispose"/> writes what is left.
/// </remarks>
internal sealed class BatchedConsoleWriter : IDisposable
{
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(10);

    public const int MaxPendingChars = 1 << 20;

    private readonly Stream _output;
    private readonly Lock _pendingLock = new();
    private readonly Lock _writeLock = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly Thread _thread;
    private readonly CancellationTokenSource _stopping = new();
    private StringBuilder _pending = new();
    private StringBuilder _spare = new();
    private byte[] _bytes = new byte[16 * 1024];

    public BatchedConsoleWriter(Stream output)
    {
        _output = output;
        _thread = new Thread(WriteLoop) { IsBackground = true, Name = "Portico console log" };
        _thread.Start();
    }

    /// <summary>Queues <paramref name="line"/> (with its line ending) for the next batch.</summary>
    public void Append(StringBuilder line)
    {
        bool first;
        bool full;
        lock (_pendingLock)
        {
            first = _pending.Length == 0;
            foreach (var chunk in line.GetChunks())
            {
                _pending.Append(chunk.Span);
            }

            full = _pending.Length >= MaxPendingChars;
        }

        if (full)
        {
            WriteBatch();
        }
        else if (first)
        {
            _arrived.Release();
        }
    }

    /// <summary>Writes what is pending now, on the caller's thread.</summary>
    public void Flush() => WriteBatch();

    public void Dispose()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        _stopping.Cancel();
        _thread.Join();
        WriteBatch();
        _arrived.Dispose();
        _stopping.Dispose();
    }

    private void WriteLoop()
    {
        try
        {
            while (true)
            {
                _arrived.Wait(_stopping.Token);
                WriteBatch();
                _stopping.Token.WaitHandle.WaitOne(MinInterval);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping: Dispose writes the rest.
        }
    }

    private void WriteBatch()
    {
        lock (_writeLock)
        {
            StringBuilder batch;
            lock (_pendingLock)
            {
                if (_pending.Length == 0)
                {
                    return;
                }

                batch = _pending;
                _pending = _spare;
            }

            try
            {
                foreach (var chunk in batch.GetChunks())
                {
                    var needed = Encoding.UTF8.GetMaxByteCount(chunk.Length);
                    if (_bytes.Length < needed)
                    {
                        _bytes = new byte[needed];
                    }

                    var count = Encoding.UTF8.GetBytes(chunk.Span, _bytes);
                    _output.Write(_bytes, 0, count);
                }

                _output.Flush();
            }
            catch (IOException)
            {
                // Standard output is gone (a closed pipe): there is nowhere left to tell.
            }
            catch (ObjectDisposedException)
            {
            }

            // A burst's large buffer is not kept for the quiet times after it.
            _spare = batch.Capacity > 64 * 1024 ? new StringBuilder() : batch.Clear();
        }
    }
}
