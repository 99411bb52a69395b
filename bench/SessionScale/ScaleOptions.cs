using System.Globalization;

namespace Portico.Bench.SessionScale;

internal sealed record ScaleOptions
{
    public const string Usage = """
        Usage: SessionScale --base https://HOST:PORT/PREFIX --cookie-name NAME --out FILE --measure-pid PID
                            [--sessions N] [--max-seconds S] [--parallel P] [--settle-seconds S]
          Creates up to N sessions (default 20000) by anonymous logins, stopping after S seconds
          (default 120) whatever the count; writes one session cookie value per line to FILE.
        """;

    public required Uri Base { get; init; }

    public required string CookieName { get; init; }

    public required string OutFile { get; init; }

    public required int MeasurePid { get; init; }

    public int Sessions { get; init; } = 20_000;

    public double MaxSeconds { get; init; } = 120;

    public int Parallel { get; init; } = 16;

    public double SettleSeconds { get; init; } = 3;

    public static ScaleOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"expected '--name value' at '{args[i]}'");
            }

            values[args[i][2..]] = args[i + 1];
        }

        string Required(string name) => values.Remove(name, out var v) ? v : throw new ArgumentException($"--{name} is required");
        string? Optional(string name) => values.Remove(name, out var v) ? v : null;
        var options = new ScaleOptions
        {
            Base = new Uri(Required("base").TrimEnd('/')),
            CookieName = Required("cookie-name"),
            OutFile = Required("out"),
            MeasurePid = int.Parse(Required("measure-pid"), CultureInfo.InvariantCulture),
        };
        options = options with
        {
            Sessions = Optional("sessions") is { } n ? int.Parse(n, CultureInfo.InvariantCulture) : options.Sessions,
            MaxSeconds = Optional("max-seconds") is { } s ? double.Parse(s, CultureInfo.InvariantCulture) : options.MaxSeconds,
            Parallel = Optional("parallel") is { } p ? int.Parse(p, CultureInfo.InvariantCulture) : options.Parallel,
            SettleSeconds = Optional("settle-seconds") is { } w ? double.Parse(w, CultureInfo.InvariantCulture) : options.SettleSeconds,
        };
        return values.Count == 0 ? options : throw new ArgumentException($"unknown option --{values.Keys.First()}");
    }
}
