using System.Globalization;

namespace Portico.Bench.Report;

internal static class Format
{
    public static string Number(double value) => double.IsNaN(value) ? "—" : value switch
    {
        >= 100 => value.ToString("#,0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("0.0", CultureInfo.InvariantCulture),
        _ => value.ToString("0.00", CultureInfo.InvariantCulture),
    };

    public static string Ms(double? value) => value is { } v ? v.ToString(v >= 10 ? "0.0" : "0.00", CultureInfo.InvariantCulture) : "—";

    public static string Ratio(double? value) => value is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) + "×" : "—";

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
