using System.Globalization;

namespace Portico.Bench.LoadClient;

/// <summary>The command line of the load client. Every run is bounded by <see cref="Seconds"/> or <see cref="HoldSeconds"/>.</summary>
internal sealed record ClientOptions
{
    public const string Usage = """
        Usage: LoadClient <echo|handshake|idle> --url wss://HOST:PORT/PATH [options]
               LoadClient steady --url https://HOST:PORT/PATH --login URL [options]
          --connections N     sockets (echo, idle) or parallel loops (handshake)    default 100
          --seconds S         measured duration (echo, handshake, steady)          default 5
          --message-bytes B   payload of each echo                                 default 100
          --origin URL        Origin header on every upgrade                       default https://mashup.bench.test
          --login URL         Portico virtual proxy base (https://HOST:PORT/PREFIX): get a session
                              cookie and, when offered, a CSRF token before each socket (echo, idle)
                              or loop (handshake)
          --measure-pids P,Q  idle: processes whose VmRSS is read before and with the sockets open;
                              echo, handshake: processes whose CPU time per operation is measured
                              over the loops
          --start-at MS       echo, handshake: start the measured loops at this Unix time (ms), so
                              two clients loading two targets side by side measure the same seconds
          --settle-seconds S  idle: wait before reading VmRSS with the sockets open  default 3
          --rate R            steady: requests per second, one session, sent on schedule  default 20
          --window-from MS    steady: the requests are reported before, during and after this
          --window-until MS   window (Unix ms; bench/run passes the anonymous flood's)
        """;

    public required string Mode { get; init; }

    public required Uri Url { get; init; }

    public int Connections { get; init; } = 100;

    public double Seconds { get; init; } = 5;

    public int MessageBytes { get; init; } = 100;

    public string Origin { get; init; } = "https://mashup.bench.test";

    public Uri? Login { get; init; }

    public IReadOnlyList<int> MeasurePids { get; init; } = [];

    public double SettleSeconds { get; init; } = 3;

    /// <summary>Steady: requests per second.</summary>
    public double Rate { get; init; } = 20;

    /// <summary>Steady: the window (Unix milliseconds) its requests are reported before, during and after.</summary>
    public long? WindowFromUnixMs { get; init; }

    public long? WindowUntilUnixMs { get; init; }

    /// <summary>When the measured loops start (Unix milliseconds); null: as soon as the sockets or logins are ready.</summary>
    public long? StartAtUnixMs { get; init; }

    /// <summary>How many sockets are being opened at once: enough to be quick, few enough not to overflow listen backlogs.</summary>
    public int OpenParallelism { get; init; } = 64;

    public static ClientOptions Parse(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("echo" or "handshake" or "idle" or "steady"))
        {
            throw new ArgumentException("the first argument must be echo, handshake, idle or steady");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"expected '--name value' at '{args[i]}'");
            }

            values[args[i][2..]] = args[i + 1];
        }

        string? Get(string name) => values.Remove(name, out var value) ? value : null;
        var url = Get("url") ?? throw new ArgumentException("--url is required");
        var defaults = new ClientOptions { Mode = args[0], Url = new Uri(url) };
        var options = defaults with
        {
            Connections = Get("connections") is { } c ? int.Parse(c, CultureInfo.InvariantCulture) : defaults.Connections,
            Seconds = Get("seconds") is { } s ? double.Parse(s, CultureInfo.InvariantCulture) : defaults.Seconds,
            MessageBytes = Get("message-bytes") is { } m ? int.Parse(m, CultureInfo.InvariantCulture) : defaults.MessageBytes,
            Origin = Get("origin") ?? defaults.Origin,
            Login = Get("login") is { } l ? new Uri(l.TrimEnd('/')) : null,
            MeasurePids = Get("measure-pids") is { } p ? p.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(x => int.Parse(x, CultureInfo.InvariantCulture)).ToList() : [],
            SettleSeconds = Get("settle-seconds") is { } w ? double.Parse(w, CultureInfo.InvariantCulture) : defaults.SettleSeconds,
            StartAtUnixMs = Get("start-at") is { } t ? long.Parse(t, CultureInfo.InvariantCulture) : null,
            Rate = Get("rate") is { } r ? double.Parse(r, CultureInfo.InvariantCulture) : defaults.Rate,
            WindowFromUnixMs = Get("window-from") is { } f ? long.Parse(f, CultureInfo.InvariantCulture) : null,
            WindowUntilUnixMs = Get("window-until") is { } u ? long.Parse(u, CultureInfo.InvariantCulture) : null,
        };
        if (values.Count > 0)
        {
            throw new ArgumentException($"unknown option --{values.Keys.First()}");
        }

        if (options.Mode == "steady" && (options.Login is null || options.Rate is <= 0 or > 1000))
        {
            throw new ArgumentException("steady needs --login and a --rate between 0 and 1000");
        }

        return options;
    }
}
