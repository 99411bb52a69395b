namespace Portico.Tickets;

/// <summary>
/// Where tickets live when several nodes share them (cluster mode): each ticket is stored once and
/// taken once, whichever node it is presented to. The rules (lifetime, virtual proxy, one attempt per
/// value) stay in <see cref="TicketStore"/>.
/// </summary>
internal interface ISharedTicketStorage
{
    /// <returns>False when no more tickets can be stored now.</returns>
    ValueTask<bool> TryAddAsync(Ticket ticket, CancellationToken cancellationToken);

    /// <summary>Removes the ticket and returns it; null when no such value is outstanding. Exactly one caller per value gets it.</summary>
    ValueTask<Ticket?> TakeAsync(string ticketValue, CancellationToken cancellationToken);
}

/// <summary>Login targets shared by several nodes (cluster mode); the bounds and lifetime stay in <see cref="TargetStore"/>.</summary>
internal interface ISharedTargetStorage
{
    /// <returns>False when the shared store is full.</returns>
    ValueTask<bool> TryAddAsync(string id, Uri target, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    ValueTask<Uri?> FindAsync(string id, DateTimeOffset now, CancellationToken cancellationToken);
}
