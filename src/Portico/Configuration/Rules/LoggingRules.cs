using Portico.Logging;

namespace Portico.Configuration.Rules;

internal sealed class LoggingRules : IConfigRule
{
    public void Check(PorticoConfig config, ConfigErrors errors)
    {
        var logging = config.Logging;
        if (logging is null)
        {
            errors.Add("logging", "must be an object such as { \"format\": \"plain\", \"levels\": { \"Default\": \"Information\" } }, or left out");
            return;
        }

        if (logging.Format is not (LogFormats.Plain or LogFormats.Json))
        {
            errors.Add("logging.format", $"\"{logging.Format}\" is not a log format; use \"{LogFormats.Plain}\" or \"{LogFormats.Json}\"");
        }

        if (logging.AccessLog is null)
        {
            errors.Add("logging.accessLog", "must be an object such as { \"enabled\": true }, or left out");
        }

        if (logging.Levels is null)
        {
            errors.Add("logging.levels", "must be an object such as { \"Default\": \"Information\", \"Portico.Forwarding\": \"Warning\" }, or left out");
            return;
        }

        foreach (var (category, level) in logging.Levels)
        {
            if (LogCategories.Problem(category) is { } problem)
            {
                errors.Add($"logging.levels[\"{LogValues.Escape(category)}\"]", problem);
            }
            else if (!LogLevelNames.TryParse(level, out _))
            {
                errors.Add($"logging.levels.{category}", LogLevelNames.Invalid(level));
            }
        }
    }
}
