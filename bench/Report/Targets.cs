namespace Portico.Bench.Report;

/// <summary>The targets, in the order bench/run measures them and the report lists them.</summary>
internal static class Targets
{
    public const string Direct = "direct";
    public const string Yarp = "yarp";
    public const string Nginx = "nginx";
    public const string Haproxy = "haproxy";
    public const string Portico = "portico";

    public static readonly IReadOnlyList<string> Order = [Direct, Yarp, Nginx, Haproxy, Portico];

    public static string Label(string target) => target switch
    {
        Direct => "backend direct",
        Yarp => "bare YARP",
        Nginx => "nginx",
        Haproxy => "HAProxy",
        Portico => "Portico",
        _ => target,
    };

    /// <summary>Bar colours of the chart.</summary>
    public static string Colour(string target) => target switch
    {
        Direct => "#9e9e9e",
        Yarp => "#5c6bc0",
        Haproxy => "#26a69a",
        Portico => "#ef6c00",
        _ => "#455a64",
    };
}
