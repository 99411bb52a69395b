using System.Text;
using Portico.Logging;
using Portico.Tests.Support;

namespace Portico.Tests.Unit.Logging;

public sealed class BatchedConsoleWriterTests
{
    [Fact]
    public void Lines_AreWrittenWhole_InTheOrderTheyCame()
    {
        var output = new RecordingStream();
        using (var writer = new BatchedConsoleWriter(output))
        {
            Parallel.For(0, 4, thread =>
            {
                for (var i = 0; i < 500; i++)
                {
                    writer.Append(new StringBuilder($"t{thread} {i}\n"));
                }
            });
        }

        var lines = output.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2000, lines.Length);
        for (var thread = 0; thread < 4; thread++)
        {
            var mine = lines.Where(l => l.StartsWith($"t{thread} ", StringComparison.Ordinal)).Select(l => int.Parse(l.AsSpan(3), System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(Enumerable.Range(0, 500), mine);
        }
    }

    [Fact]
    public async Task ALine_IsWrittenSoon_WithoutFlushOrDispose()
    {
        var output = new RecordingStream();
        using var writer = new BatchedConsoleWriter(output);

        writer.Append(new StringBuilder("ready\n"));

        await Eventually.TrueAsync(() => output.Text == "ready\n", TimeSpan.FromSeconds(5), "the line to be written");
    }

    [Fact]
    public async Task AFullBatch_IsWrittenByTheCaller_SoPendingLinesStayBounded()
    {
        var output = new RecordingStream { Blocked = true };
        using var writer = new BatchedConsoleWriter(output);
        var line = new StringBuilder(new string('x', 1023) + "\n");

        // The writer thread is held up in a write; lines keep coming.
        writer.Append(line);
        Assert.True(output.WriteStarted.Wait(TimeSpan.FromSeconds(5)));
        var caller = Task.Run(() =>
        {
            for (var i = 0; i < 2 * BatchedConsoleWriter.MaxPendingChars / 1024; i++)
            {
                writer.Append(line);
            }
        });

        // Once the batch is full, the caller itself waits to write it: it cannot finish while the output is stalled.
        Assert.NotSame(caller, await Task.WhenAny(caller, Task.Delay(300)));
        output.Release();
        await caller.WaitAsync(TimeSpan.FromSeconds(10));
        writer.Flush();
        Assert.Equal((1 + (2 * BatchedConsoleWriter.MaxPendingChars / 1024)) * 1024, output.Text.Length);
    }

    [Fact]
    public void AClosedOutput_IsNoErrorOfTheCaller()
    {
        var output = new RecordingStream { Fails = true };
        var writer = new BatchedConsoleWriter(output);

        writer.Append(new StringBuilder("lost\n"));
        writer.Flush();
        writer.Dispose();
        writer.Dispose();
    }

    private sealed class RecordingStream : Stream
    {
        private readonly MemoryStream _written = new();
        private readonly ManualResetEventSlim _released = new(false);

        public bool Blocked { get; init; }

        public bool Fails { get; init; }

        public ManualResetEventSlim WriteStarted { get; } = new(false);

        public string Text
        {
            get
            {
                lock (_written)
                {
                    return Encoding.UTF8.GetString(_written.ToArray());
                }
            }
        }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public void Release() => _released.Set();

        public override void Write(byte[] buffer, int offset, int count)
        {
            WriteStarted.Set();
            if (Fails)
            {
                throw new IOException("Broken pipe");
            }

            if (Blocked)
            {
                _released.Wait();
            }

            lock (_written)
            {
                _written.Write(buffer, offset, count);
            }
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
