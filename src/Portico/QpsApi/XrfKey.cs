using System.Buffers;

namespace Portico.QpsApi;

/// <summary>
/// Qlik's cross-site request forgery rule for the QPS REST API: the caller repeats one 16-character
/// key in the <c>xrfkey</c> query parameter and the <c>X-Qlik-Xrfkey</c> header. A cross-site form
/// or link can set the query string but not a custom header, and a cross-origin script cannot add
/// the header without a CORS preflight that Portico does not grant.
/// </summary>
internal static class XrfKey
{
    /// <summary>Qlik's query parameter name; matched without regard to case.</summary>
    public const string QueryParameterName = "xrfkey";

    public const string HeaderName = "X-Qlik-Xrfkey";

    public const int Length = 16;

    public const string QueryMissingReason = "xrfkey query parameter missing";
    public const string HeaderMissingReason = "X-Qlik-Xrfkey header missing";
    public const string DifferReason = "xrfkey values differ";
    public const string FormatReason = "xrfkey must be 16 characters of 0-9 a-z A-Z";
    public const string QueryRepeatedReason = "xrfkey query parameter given more than once";
    public const string HeaderRepeatedReason = "X-Qlik-Xrfkey header given more than once";

    private static readonly SearchValues<char> KeyChars = SearchValues.Create("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");

    /// <summary>Reads both values from the request and checks them; a repeated value is refused as ambiguous.</summary>
    public static XrfKeyCheck Check(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);

        // ASP.NET Core's query collection already compares names without regard to case, as Qlik does.
        var query = request.Query[QueryParameterName];
        if (query.Count > 1)
        {
            return XrfKeyCheck.Invalid(QueryRepeatedReason);
        }

        var header = request.Headers[HeaderName];
        if (header.Count > 1)
        {
            return XrfKeyCheck.Invalid(HeaderRepeatedReason);
        }

        return Check(query.Count == 0 ? null : query[0], header.Count == 0 ? null : header[0]);
    }

    public static XrfKeyCheck Check(string? queryValue, string? headerValue)
    {
        if (queryValue is null)
        {
            return XrfKeyCheck.Invalid(QueryMissingReason);
        }

        if (headerValue is null)
        {
            return XrfKeyCheck.Invalid(HeaderMissingReason);
        }

        // Ordinal: Qlik compares the key case-sensitively, and so must anything that claims to be it.
        if (!string.Equals(queryValue, headerValue, StringComparison.Ordinal))
        {
            return XrfKeyCheck.Invalid(DifferReason);
        }

        if (queryValue.Length != Length || queryValue.AsSpan().ContainsAnyExcept(KeyChars))
        {
            return XrfKeyCheck.Invalid(FormatReason);
        }

        return XrfKeyCheck.Valid;
    }
}
