using System.Globalization;

namespace Portico.DemoEngine.Apps;

/// <summary>
/// One value of a field, in Qlik's dual form: every value has a text, numeric values also a number.
/// Grouping compares both, so the text "2023" and the number 2023 stay distinct the way they would in Qlik.
/// </summary>
internal readonly record struct CellValue(string Text, double? Number)
{
    public bool IsNumeric => Number.HasValue;

    public static CellValue FromText(string text) => new(text, null);

    public static CellValue FromNumber(double number) => new(FormatNumber(number), number);

    /// <summary>
    /// Mimics the engine's automatic number format closely enough for a demo: integers without
    /// decimals, everything else with up to ten significant digits, always invariant culture.
    /// </summary>
    public static string FormatNumber(double number)
    {
        if (double.IsNaN(number))
        {
            return "-";
        }

        return Math.Abs(number) < 1e15 && number == Math.Floor(number)
            ? number.ToString("0", CultureInfo.InvariantCulture)
            : number.ToString("G10", CultureInfo.InvariantCulture);
    }
}
