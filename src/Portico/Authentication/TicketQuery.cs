using Portico.Http;

namespace Portico.Authentication;

/// <summary>Qlik accepts a ticket as qlikTicket, QlikTicket or X-Qlik-Ticket in the query string (any case).</summary>
internal static class TicketQuery
{
    public static bool IsTicketParameter(string name) =>
        name.Equals("qlikTicket", StringComparison.OrdinalIgnoreCase) || name.Equals("X-Qlik-Ticket", StringComparison.OrdinalIgnoreCase);

    public static string? Find(QueryString query) => QueryStrings.Find(query, IsTicketParameter);

    public static QueryString Remove(QueryString query) => QueryStrings.Without(query, IsTicketParameter);
}
