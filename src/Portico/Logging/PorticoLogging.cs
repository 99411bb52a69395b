using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Console;
using Portico.Configuration;

namespace Portico.Logging;

/// <summary>
/// Sets up Portico's log: the console output (plain or JSON, with or without timestamps) and the
/// minimum level of each category. Levels apply in this order, a later setting for the same
/// category replacing an earlier one: Portico's built-in levels, the config file's
/// <c>logging.levels</c>, then environment variables. As everywhere in .NET logging, the most
/// specific category that has a setting decides. See docs/operations.md, "Logging".
/// </summary>
internal static class PorticoLogging
{
    /// <summary>The access log's category: one line per request (<see cref="AccessLogMiddleware"/>).</summary>
    public const string AccessCategory = "Portico.Access";

    /// <summary>ISO 8601 in UTC, to the millisecond: sorts as text and reads the same on every node.</summary>
    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <summary>Levels Portico sets before any of the admin's, and why.</summary>
    public static IReadOnlyList<LogLevelSetting> BuiltInLevels { get; } =
    [
        new(LogCategories.Default, LogLevel.Information),
        new("Microsoft.AspNetCore", LogLevel.Warning),

        // While this category can log at all, ASP.NET Core starts an Activity for every request (to
        // give log scopes a trace id), and the forwarder then adds a traceparent to every engine
        // request. Portico exports no traces and this category only logs requests at Information;
        // Portico.Access logs each request instead.
        new("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None),
        new("Yarp", LogLevel.Warning),

        // YARP logs each forwarding error and each failed health probe as a warning with a stack
        // trace: for a client's broken body or abruptly closed WebSocket too, and again at every
        // probe while an engine is down. Portico logs these itself, in one line each and at the
        // level they deserve: EngineFailureAnswer per failed request, EngineHealthPolicy per change
        // of an engine node's health (load balancing's "no destination" is such a failed request).
        // Kestrel already logs what clients do wrong (bad requests, resets, TLS failures) at Debug.
        new("Yarp.ReverseProxy.Forwarder", LogLevel.Error),
        new("Yarp.ReverseProxy.Health", LogLevel.Error),
        new("Yarp.ReverseProxy.LoadBalancing", LogLevel.Error),
    ];

    /// <summary>Every level setting, in the order they apply: built-in, config file, environment.</summary>
    /// <param name="config">A logging section that passed validation.</param>
    public static IReadOnlyList<LogLevelSetting> Levels(LoggingConfig config, LoggingEnvironment environment)
    {
        var fromFile = config.Levels.Select(pair => LogLevelNames.TryParse(pair.Value, out var level)
            ? new LogLevelSetting(pair.Key, level)
            : throw new ArgumentException($"logging.levels.{pair.Key}: {LogLevelNames.Invalid(pair.Value)}", nameof(config)));
        return [.. BuiltInLevels, .. fromFile, .. environment.Levels];
    }

    /// <param name="config">A logging section that passed validation.</param>
    public static void Configure(ILoggingBuilder logging, LoggingConfig config, LoggingEnvironment environment)
    {
        var timestamps = config.Timestamps ? TimestampFormat : null;
        if (config.Format == LogFormats.Json)
        {
            logging.AddJsonConsole(o =>
            {
                o.TimestampFormat = timestamps;
                o.UseUtcTimestamp = true;
            });
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = timestamps is null ? null : timestamps + " ";
                o.UseUtcTimestamp = true;
            });
        }

        // The formatters and their options stay ASP.NET Core's; only the writing is Portico's own.
        foreach (var console in logging.Services.Where(d => d.ServiceType == typeof(ILoggerProvider) && d.ImplementationType == typeof(ConsoleLoggerProvider)).ToList())
        {
            logging.Services.Remove(console);
        }

        logging.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ILoggerProvider, BatchedConsoleLoggerProvider>());

        foreach (var setting in Levels(config, environment))
        {
            if (LogCategories.IsDefault(setting.Category))
            {
                logging.SetMinimumLevel(setting.Level);
            }
            else
            {
                logging.AddFilter(setting.Category, setting.Level);
            }
        }
    }
}
