using System.Diagnostics.CodeAnalysis;

namespace Portico.Tickets;

/// <summary>The outcome of presenting a ticket: the ticket when it logs the user in, otherwise why not.</summary>
internal sealed record TicketRedemption
{
    public const string UnknownReason = "unknown or already used";
    public const string ExpiredReason = "expired";
    public const string WrongVirtualProxyReason = "issued for another virtual proxy";

    private TicketRedemption(Ticket? ticket, string? failureReason)
    {
        Ticket = ticket;
        FailureReason = failureReason;
    }

    [MemberNotNullWhen(true, nameof(Ticket))]
    [MemberNotNullWhen(false, nameof(FailureReason))]
    public bool Success => Ticket is not null;

    public Ticket? Ticket { get; }

    /// <summary>Safe for the audit log: it never contains the ticket value.</summary>
    public string? FailureReason { get; }

    public static TicketRedemption Redeemed(Ticket ticket) => new(ticket, null);

    public static TicketRedemption Failed(string reason) => new(null, reason);
}
