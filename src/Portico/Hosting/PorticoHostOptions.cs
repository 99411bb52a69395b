namespace Portico.Hosting;

/// <summary>What the caller of <see cref="PorticoApplication.Build"/> decides beyond the configuration itself.</summary>
internal sealed record PorticoHostOptions
{
    /// <summary>The config file to watch for hot reload; null for the built-in demo config.</summary>
    public string? ConfigFilePath { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Log levels from environment variables (Logging__LogLevel__*), which override the config file's.</summary>
    public Logging.LoggingEnvironment LoggingEnvironment { get; init; } = Logging.LoggingEnvironment.Empty;

    /// <summary>Lets tests capture log output.</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; init; }
}
