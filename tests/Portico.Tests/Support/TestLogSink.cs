using System.Collections.Concurrent;

namespace Portico.Tests.Support;

/// <summary>Captures every log line Portico writes, so tests can prove what is (and is not) logged.</summary>
public sealed class TestLogSink : ILoggerProvider
{
    private readonly ConcurrentQueue<LogLine> _lines = new();

    public IReadOnlyList<LogLine> Lines => [.. _lines];

    public string AllText => string.Join("\n", _lines.Select(l => $"{l.Category} [{l.EventId}] {l.Message} {l.Exception}"));

    public ILogger CreateLogger(string categoryName) => new SinkLogger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class SinkLogger(string category, ConcurrentQueue<LogLine> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(new LogLine(category, logLevel, eventId.Id, formatter(state, exception), exception?.ToString()));
    }
}

public sealed record LogLine(string Category, LogLevel Level, int EventId, string Message, string? Exception);
