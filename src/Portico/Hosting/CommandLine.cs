namespace Portico.Hosting;

/// <summary>Portico's command line: <c>[--config PATH] [--check]</c>.</summary>
internal sealed record CommandLine(string? ConfigPath, bool CheckOnly, bool ShowHelp, string? Error)
{
    public const string Usage = """
        Usage: portico [--config PATH] [--check]
          --config PATH   JSON configuration file (default: the built-in demo configuration)
          --check         validate the configuration, print every error, and exit
          --help          show this text
        """;

    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        string? configPath = null;
        var checkOnly = false;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--config" when i + 1 < args.Count:
                    configPath = args[++i];
                    break;
                case "--config":
                    return new CommandLine(null, false, false, "--config needs a file path");
                case "--check":
                    checkOnly = true;
                    break;
                case "--help" or "-h":
                    return new CommandLine(null, false, true, null);
                default:
                    return new CommandLine(null, false, false, $"unknown argument '{args[i]}'");
            }
        }

        return new CommandLine(configPath, checkOnly, false, null);
    }
}
