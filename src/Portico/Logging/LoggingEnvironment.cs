using System.Collections;
using Portico.Configuration;

namespace Portico.Logging;

/// <summary>
/// Log levels from environment variables, the standard ASP.NET Core way:
/// <c>Logging__LogLevel__Portico.Sessions=Debug</c> (or <c>Logging:LogLevel:…</c> where a service
/// manager allows colons). They override the config file's <c>logging.levels</c>, so a node can be
/// made verbose for a while (a systemd drop-in, a container's environment) without editing the
/// configuration every node shares. See docs/operations.md, "Logging".
/// </summary>
internal sealed record LoggingEnvironment(IReadOnlyList<LogLevelSetting> Levels, IReadOnlyList<ConfigError> Errors)
{
    private static readonly string[] Prefixes = ["Logging__LogLevel__", "Logging:LogLevel:"];

    public static LoggingEnvironment Empty { get; } = new([], []);

    public static LoggingEnvironment FromProcess() => Read(Environment.GetEnvironmentVariables());

    /// <param name="variables">Name to value, as <see cref="Environment.GetEnvironmentVariables()"/> gives them.</param>
    public static LoggingEnvironment Read(IDictionary variables)
    {
        var levels = new List<LogLevelSetting>();
        var errors = new List<ConfigError>();
        // Sorted, so that two spellings of one category apply in the same order on every start.
        foreach (var name in variables.Keys.OfType<string>().Order(StringComparer.Ordinal))
        {
            var prefix = Array.Find(Prefixes, p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase));
            if (prefix is null)
            {
                continue;
            }

            var category = name[prefix.Length..];
            var value = variables[name] as string;
            var field = $"{LogValues.Escape(name)} (environment variable)";
            if (LogCategories.Problem(category) is { } problem)
            {
                errors.Add(new ConfigError(field, problem));
            }
            else if (!LogLevelNames.TryParse(value, out var level))
            {
                errors.Add(new ConfigError(field, LogLevelNames.Invalid(value)));
            }
            else
            {
                levels.Add(new LogLevelSetting(category, level));
            }
        }

        return new LoggingEnvironment(levels, errors);
    }
}
