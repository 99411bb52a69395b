using System.Globalization;
using Portico.ResponseHeaders;

namespace Portico.Cors;

/// <summary>
/// The Access-Control-* lines of a virtual proxy's additional response headers. Qlik's article told
/// admins to put their mashup origins in an Access-Control-Allow-Origin line, but a browser accepts
/// only one origin per response; Portico reads such lines as allow-list entries and answers each
/// request with exactly its own origin. Credentials and exposed headers are merged, never duplicated.
/// </summary>
internal sealed record CorsHeaderLines(
    IReadOnlyList<string> Origins,
    IReadOnlyList<string> ExposeHeaders,
    IReadOnlyList<string> AllowMethods,
    IReadOnlyList<string> AllowHeaders,
    int? MaxAgeSeconds,
    IReadOnlyList<HeaderLineError> Errors,
    IReadOnlyList<string> Warnings)
{
    public const string AllowOrigin = "Access-Control-Allow-Origin";
    public const string AllowCredentials = "Access-Control-Allow-Credentials";
    public const string ExposeHeadersName = "Access-Control-Expose-Headers";
    public const string AllowMethodsName = "Access-Control-Allow-Methods";
    public const string AllowHeadersName = "Access-Control-Allow-Headers";
    public const string MaxAge = "Access-Control-Max-Age";

    /// <summary>Browsers cap preflight caching (Chromium at 7200 s); a longer value only hides config changes.</summary>
    public const int MaxAgeLimitSeconds = 7200;

    public static bool IsCorsHeader(string name) => name.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase);

    public static CorsHeaderLines Extract(IReadOnlyList<HeaderLine> lines)
    {
        var origins = new List<string>();
        var expose = new List<string>();
        var methods = new List<string>();
        var headers = new List<string>();
        var errors = new List<HeaderLineError>();
        var warnings = new List<string>();
        int? maxAge = null;
        foreach (var line in lines.Where(l => IsCorsHeader(l.Name)))
        {
            switch (line.Name.ToUpperInvariant())
            {
                case "ACCESS-CONTROL-ALLOW-ORIGIN":
                    var listed = Tokens(line.Value, ',', ' ');
                    if (listed.Contains("*"))
                    {
                        errors.Add(new(line.LineNumber, "Access-Control-Allow-Origin \"*\" cannot be combined with credentials (a mashup needs them); list the mashup origins instead"));
                        break;
                    }

                    origins.AddRange(listed);
                    warnings.Add($"line {line.LineNumber}: Access-Control-Allow-Origin lists {listed.Count} origin(s); Portico treats them as host allow list entries and answers each request with exactly the requesting origin (a browser accepts only one)");
                    break;
                case "ACCESS-CONTROL-ALLOW-CREDENTIALS":
                    if (!line.Value.Equals("true", StringComparison.OrdinalIgnoreCase))
                    {
                        errors.Add(new(line.LineNumber, "Access-Control-Allow-Credentials can only be \"true\" (Portico sends it for allowed origins); remove the line or write true"));
                    }

                    break;
                case "ACCESS-CONTROL-EXPOSE-HEADERS":
                    expose.AddRange(Tokens(line.Value, ','));
                    break;
                case "ACCESS-CONTROL-ALLOW-METHODS":
                    methods.AddRange(Tokens(line.Value, ','));
                    break;
                case "ACCESS-CONTROL-ALLOW-HEADERS":
                    headers.AddRange(Tokens(line.Value, ','));
                    break;
                case "ACCESS-CONTROL-MAX-AGE":
                    if (!int.TryParse(line.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > MaxAgeLimitSeconds)
                    {
                        errors.Add(new(line.LineNumber, $"Access-Control-Max-Age must be a number of seconds up to {MaxAgeLimitSeconds}"));
                    }
                    else
                    {
                        maxAge = seconds;
                    }

                    break;
                default:
                    errors.Add(new(line.LineNumber, $"\"{line.Name}\" is not a CORS response header Portico can send; remove the line"));
                    break;
            }
        }

        return new CorsHeaderLines(origins, expose, methods, headers, maxAge, errors, warnings);
    }

    private static List<string> Tokens(string value, params char[] separators) =>
        value.Split(separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
