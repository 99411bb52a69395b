using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Portico.Logging;

/// <summary>
/// Portico's console log: the same lines as ASP.NET Core's console logger (its own plain or JSON
/// formatter, with the options <see cref="PorticoLogging"/> sets), written in batches by
/// <see cref="BatchedConsoleWriter"/> instead of one write per line. Registered under the console
/// logger's alias, so <c>Logging:Console:LogLevel</c> settings keep applying.
/// </summary>
[ProviderAlias("Console")]
internal sealed class BatchedConsoleLoggerProvider(IEnumerable<ConsoleFormatter> formatters, IOptions<ConsoleLoggerOptions> options) : ILoggerProvider, ISupportExternalScope
{
    [ThreadStatic]
    private static StringWriter? t_line;

    private readonly ConsoleFormatter _formatter = formatters.Single(f => f.Name == options.Value.FormatterName);
    private readonly BatchedConsoleWriter _writer = new(Console.OpenStandardOutput());
    private IExternalScopeProvider? _scopes;

    public ILogger CreateLogger(string categoryName) => new BatchedConsoleLogger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose() => _writer.Dispose();

    private void Write<TState>(in LogEntry<TState> entry)
    {
        var line = t_line ??= new StringWriter();
        var text = line.GetStringBuilder();
        try
        {
            _formatter.Write(entry, _scopes, line);
            if (text.Length > 0)
            {
                _writer.Append(text);
            }
        }
        finally
        {
            // One line's buffer per thread, not one per burst's longest line.
            if (text.Capacity > 16 * 1024)
            {
                t_line = null;
            }
            else
            {
                text.Clear();
            }
        }
    }

    private sealed class BatchedConsoleLogger(BatchedConsoleLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => provider._scopes?.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                provider.Write(new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter));
            }
        }
    }
}
