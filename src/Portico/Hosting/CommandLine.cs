using System.Globalization;
using Portico.Doctor;

namespace Portico.Hosting;

internal enum Command
{
    Run,
    Check,
    Doctor,
    Help,
}

/// <summary>
/// Portico's command line: run (default), <c>--check</c>, or <c>doctor</c>. File paths on it are
/// made absolute against the directory the command was run from, once, while parsing: nothing later
/// (the config watcher, the doctor's TLS callback) depends on the process's current directory.
/// Paths inside the config file are the config's business: they resolve against the file's folder.
/// </summary>
internal sealed record CommandLine(Command Command, string? ConfigPath, DoctorOptions? Doctor, string? Error)
{
    public const string Usage = """
        Usage:
          portico [--config PATH]            run (default: the built-in demo configuration)
          portico --config PATH --check      validate the configuration, print every error and warning, exit
          portico doctor --url URL [--origin ORIGIN] [--ca FILE] [--bearer TOKEN | --cookie NAME=VALUE] [--http-port N]
                                             check a running virtual proxy as a mashup on ORIGIN would use it:
                                             HTTPS redirect, HSTS, CORS, the CSRF token, WebSocket origin checks
          portico --help | portico doctor --help

        Doctor options:
          --url URL          the https URL of the virtual proxy, e.g. https://qlik.example.com/sales/
          --origin ORIGIN    a mashup origin that should be allowed, e.g. https://mashup.example.com
          --ca FILE          PEM file of the CA that issued the server certificate (default: the system's trust store)
          --bearer TOKEN     a JWT to log in with, so the CSRF token and WebSocket checks can run
          --cookie NAME=VALUE  a session cookie to log in with instead
          --http-port N      the plain-HTTP port to check the redirect on (default 80)

        Relative paths (--config, --ca) are read from the directory the command is run in.
        """;

    public static CommandLine Parse(IReadOnlyList<string> args) => Parse(args, Environment.CurrentDirectory);

    /// <param name="workingDirectory">What relative paths on the command line are relative to.</param>
    public static CommandLine Parse(IReadOnlyList<string> args, string workingDirectory)
    {
        if (args.Count > 0 && args[0] == "doctor")
        {
            return ParseDoctor(args.Skip(1).ToList(), workingDirectory);
        }

        string? configPath = null;
        var command = Command.Run;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--config" when i + 1 < args.Count && args[i + 1].Length > 0:
                    configPath = Path.GetFullPath(args[++i], workingDirectory);
                    break;
                case "--config":
                    return Failed("--config needs a file path");
                case "--check":
                    command = Command.Check;
                    break;
                case "--help" or "-h":
                    return new CommandLine(Command.Help, null, null, null);
                default:
                    return Failed($"unknown argument '{args[i]}'");
            }
        }

        return new CommandLine(command, configPath, null, null);
    }

    private static CommandLine ParseDoctor(List<string> args, string workingDirectory)
    {
        if (args.Any(a => a is "--help" or "-h"))
        {
            return new CommandLine(Command.Help, null, null, null);
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] is not ("--url" or "--origin" or "--ca" or "--bearer" or "--cookie" or "--http-port"))
            {
                return Failed($"doctor: unknown argument '{args[i]}'");
            }

            if (i + 1 >= args.Count)
            {
                return Failed($"doctor: {args[i]} needs a value");
            }

            values[args[i]] = args[++i];
        }

        if (!values.TryGetValue("--url", out var url) || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
        {
            return Failed("doctor: --url must be the https URL of a virtual proxy, e.g. https://qlik.example.com/sales/");
        }

        int? httpPort = null;
        if (values.TryGetValue("--http-port", out var port))
        {
            if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed is < 1 or > 65535)
            {
                return Failed("doctor: --http-port must be a port number");
            }

            httpPort = parsed;
        }

        if (values.TryGetValue("--ca", out var ca) && ca.Length == 0)
        {
            return Failed("doctor: --ca needs the path of a PEM file");
        }

        return new CommandLine(Command.Doctor, null, new DoctorOptions
        {
            VirtualProxyUrl = uri,
            Origin = values.GetValueOrDefault("--origin"),
            CaFile = ca is null ? null : Path.GetFullPath(ca, workingDirectory),
            Bearer = values.GetValueOrDefault("--bearer"),
            Cookie = values.GetValueOrDefault("--cookie"),
            HttpPort = httpPort,
        }, null);
    }

    private static CommandLine Failed(string error) => new(Command.Help, null, null, error);
}
