using System.Text;

namespace Portico.Tickets;

/// <summary>An issued one-time login ticket.</summary>
/// <param name="Value">The secret the browser presents as <c>qlikTicket</c>; never logged.</param>
internal sealed record Ticket(string Value, TicketRequest Request, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt)
{
    // A record prints every property; a ticket written to a log by accident must not hand out a login.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Value = [redacted], Request = ").Append(Request)
            .Append(", IssuedAt = ").Append(IssuedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture))
            .Append(", ExpiresAt = ").Append(ExpiresAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        return true;
    }
}
