namespace Portico.Bench.LoadClient;

/// <summary>What a browser page would hold before opening a socket: its cookies and, when Portico issues one, a CSRF token.</summary>
internal sealed record Credentials(string? CookieHeader, string? CsrfToken)
{
    public static readonly Credentials None = new(null, null);
}
