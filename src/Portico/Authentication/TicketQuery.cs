using Portico.Http;

namespace Portico.Authentication;

/// <summary>Qlik accepts a ticket as qlikTicket, QlikTicket or X-Qlik-Ticket in the query string (any case).</summary>
internal static class TicketQuery
{
    public static bool IsTicketParameter(string name) =>
        name.Equals("qlikTicket", StringComparison.OrdinalIgnoreCase) || name.Equals("X-Qlik-Ticket", StringComparison.OrdinalIgnoreCase);

    /// <summary>Cheap pre-check first: nearly no request carries a ticket, and parsing the query costs allocations.</summary>
    public static string? Find(QueryString query) =>
        QueryStrings.MightContain(query, "icket") ? QueryStrings.Find(query, IsTicketParameter) : null;

    public static QueryString Remove(QueryString query) => QueryStrings.Without(query, IsTicketParameter);
}
