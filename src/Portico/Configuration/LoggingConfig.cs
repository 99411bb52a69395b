namespace Portico.Configuration;

/// <summary>
/// What Portico logs and how it is written (see docs/operations.md, "Logging"). Format, timestamps
/// and levels are read at start; the access log's switch takes effect on reload. Environment
/// variables (<c>Logging__LogLevel__{Category}</c>) override <see cref="Levels"/>.
/// </summary>
public sealed record LoggingConfig
{
    /// <summary>"plain" (one line per entry) or "json" (one JSON object per line).</summary>
    public string Format { get; init; } = LogFormats.Plain;

    /// <summary>Starts each entry with its UTC time (ISO 8601, milliseconds).</summary>
    public bool Timestamps { get; init; } = true;

    /// <summary>
    /// Minimum level per log category (a category and everything below it, e.g. "Portico.Forwarding");
    /// "Default" applies where no other entry does. Levels: Trace, Debug, Information, Warning,
    /// Error, Critical, None.
    /// </summary>
    public IReadOnlyDictionary<string, string> Levels { get; init; } = new Dictionary<string, string>();

    public AccessLogConfig AccessLog { get; init; } = new();
}

/// <summary>One line per request in the <c>Portico.Access</c> category (see docs/operations.md, "Access log").</summary>
public sealed record AccessLogConfig
{
    public bool Enabled { get; init; } = true;
}

/// <summary>The values <see cref="LoggingConfig.Format"/> takes.</summary>
public static class LogFormats
{
    public const string Plain = "plain";

    public const string Json = "json";
}
