using System.Diagnostics.CodeAnalysis;

namespace Portico.Tickets;

/// <summary>
/// Outstanding one-time login tickets, in memory. A ticket is removed by the first attempt to redeem
/// it, whatever the outcome, so no value can ever log a user in twice.
/// </summary>
internal sealed class TicketStore
{
    /// <summary>Qlik's ticket lifetime.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Far above any real login rate within one lifetime, low enough that a misbehaving caller cannot
    /// exhaust memory.
    /// </summary>
    public const int DefaultCapacity = 100_000;

    private readonly TimeProvider _time;
    private readonly Func<int, byte[]> _randomBytes;
    private readonly int _capacity;
    private readonly ISharedTicketStorage? _shared;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Ticket> _outstanding = new(StringComparer.Ordinal);

    // Issue order, which is expiry order because the lifetime is fixed: purging looks only at the
    // front. Redeemed tickets stay queued until they reach the front or the queue is compacted.
    private Queue<Ticket> _issueOrder = new();

    /// <param name="randomBytes">Returns the requested number of bytes from a CSPRNG; <see cref="RandomIdentifier.Csprng"/> when null.</param>
    /// <param name="lifetime">How long a ticket can be redeemed; <see cref="DefaultLifetime"/> when null.</param>
    /// <param name="shared">Cluster mode: tickets live there instead of in this process.</param>
    public TicketStore(TimeProvider time, Func<int, byte[]>? randomBytes = null, TimeSpan? lifetime = null, int capacity = DefaultCapacity, ISharedTicketStorage? shared = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        var effectiveLifetime = lifetime ?? DefaultLifetime;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(effectiveLifetime, TimeSpan.Zero, nameof(lifetime));
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);

        _time = time;
        _randomBytes = randomBytes ?? RandomIdentifier.Csprng;
        Lifetime = effectiveLifetime;
        _capacity = capacity;
        _shared = shared;
    }

    public TimeSpan Lifetime { get; }

    /// <summary>Tickets issued and not yet redeemed; expired ones count until they are purged.</summary>
    public int OutstandingCount
    {
        get
        {
            lock (_lock)
            {
                return _outstanding.Count;
            }
        }
    }

    /// <summary>Issues a ticket, or throws when the store is full of unexpired tickets.</summary>
    /// <exception cref="InvalidOperationException">The store holds its maximum number of unexpired tickets.</exception>
    public Ticket Issue(TicketRequest request) =>
        TryIssue(request, out var ticket)
            ? ticket
            : throw new InvalidOperationException($"The ticket store holds {_capacity} unexpired tickets; no more can be issued until some are redeemed or expire.");

    /// <summary>Issues a ticket; false when the store is full of unexpired tickets (the caller answers 503).</summary>
    public bool TryIssue(TicketRequest request, [NotNullWhen(true)] out Ticket? ticket)
    {
        ArgumentNullException.ThrowIfNull(request);

        // Drawn outside the lock: the CSPRNG call is the slow part and needs no coordination.
        var value = RandomIdentifier.Create(_randomBytes);
        var now = _time.GetUtcNow();
        var issued = new Ticket(value, request, now, now + Lifetime);

        lock (_lock)
        {
            PurgeExpired(now);
            if (_outstanding.Count >= _capacity)
            {
                ticket = null;
                return false;
            }

            if (!_outstanding.TryAdd(value, issued))
            {
                // 128 random bits do not collide; a repeat means the randomness source is broken,
                // and overwriting would hand one user's ticket to another.
                throw new InvalidOperationException("The randomness source produced a ticket value that is already outstanding.");
            }

            _issueOrder.Enqueue(issued);
        }

        ticket = issued;
        return true;
    }

    /// <summary>Issues a ticket in this process or, in cluster mode, in the shared store; null when full.</summary>
    public async ValueTask<Ticket?> TryIssueAsync(TicketRequest request, CancellationToken cancellationToken)
    {
        if (_shared is null)
        {
            return TryIssue(request, out var local) ? local : null;
        }

        ArgumentNullException.ThrowIfNull(request);
        var now = _time.GetUtcNow();
        var ticket = new Ticket(RandomIdentifier.Create(_randomBytes), request, now, now + Lifetime);
        return await _shared.TryAddAsync(ticket, cancellationToken) ? ticket : null;
    }

    /// <summary>
    /// <see cref="Redeem"/> across every node of a cluster (or in this process without one): the
    /// ticket is taken from the shared store first, so only one node can ever judge it.
    /// </summary>
    public async ValueTask<TicketRedemption> RedeemAsync(string ticketValue, string virtualProxyPrefix, CancellationToken cancellationToken)
    {
        if (_shared is null)
        {
            return Redeem(ticketValue, virtualProxyPrefix);
        }

        ArgumentNullException.ThrowIfNull(virtualProxyPrefix);
        if (string.IsNullOrEmpty(ticketValue))
        {
            return TicketRedemption.Failed(TicketRedemption.UnknownReason);
        }

        var ticket = await _shared.TakeAsync(ticketValue, cancellationToken);
        return ticket is null ? TicketRedemption.Failed(TicketRedemption.UnknownReason) : Judge(ticket, virtualProxyPrefix);
    }

    /// <summary>
    /// Redeems a ticket on the virtual proxy whose configured prefix is <paramref name="virtualProxyPrefix"/>.
    /// Exactly one of any number of concurrent calls with the same value can succeed.
    /// </summary>
    public TicketRedemption Redeem(string ticketValue, string virtualProxyPrefix)
    {
        ArgumentNullException.ThrowIfNull(virtualProxyPrefix);
        if (string.IsNullOrEmpty(ticketValue))
        {
            return TicketRedemption.Failed(TicketRedemption.UnknownReason);
        }

        // 1. Remove before judging: whoever removes the entry is the only caller that ever sees it.
        Ticket? ticket;
        lock (_lock)
        {
            if (!_outstanding.Remove(ticketValue, out ticket))
            {
                return TicketRedemption.Failed(TicketRedemption.UnknownReason);
            }

            CompactIfMostlyRedeemed();
        }

        return Judge(ticket, virtualProxyPrefix);
    }

    /// <summary>Steps 2 and 3 of a redemption, on a ticket its caller alone has taken.</summary>
    private TicketRedemption Judge(Ticket ticket, string virtualProxyPrefix)
    {
        // 2. Expiry (RFC 7519 4.1.4 convention): not accepted on or after ExpiresAt.
        if (_time.GetUtcNow() >= ticket.ExpiresAt)
        {
            return TicketRedemption.Failed(TicketRedemption.ExpiredReason);
        }

        // 3. Virtual proxy. The ticket is already consumed and stays consumed: a value that has been
        //    shown to the wrong virtual proxy has leaked beyond the redirect it was made for (a
        //    misconfigured login module, a forwarded link, a probing attacker), so it must not be
        //    replayable on the right one either.
        if (!string.Equals(ticket.Request.VirtualProxyPrefix, virtualProxyPrefix, StringComparison.Ordinal))
        {
            return TicketRedemption.Failed(TicketRedemption.WrongVirtualProxyReason);
        }

        return TicketRedemption.Redeemed(ticket);
    }

    /// <summary>Removes expired tickets from the front of the issue order; amortised O(1) per ticket.</summary>
    private void PurgeExpired(DateTimeOffset now)
    {
        while (_issueOrder.TryPeek(out var oldest))
        {
            var stillOutstanding = _outstanding.TryGetValue(oldest.Value, out var current) && ReferenceEquals(current, oldest);
            if (stillOutstanding && oldest.ExpiresAt > now)
            {
                return;
            }

            _issueOrder.Dequeue();
            if (stillOutstanding)
            {
                _outstanding.Remove(oldest.Value);
            }
        }
    }

    /// <summary>
    /// Redeemed tickets behind a still-outstanding one stay queued; rebuilding once they outnumber
    /// the outstanding ones keeps the queue within a constant factor of the capacity.
    /// </summary>
    private void CompactIfMostlyRedeemed()
    {
        if (_issueOrder.Count <= (2 * _outstanding.Count) + 1024)
        {
            return;
        }

        var live = new Queue<Ticket>(_outstanding.Count);
        foreach (var queued in _issueOrder)
        {
            if (_outstanding.TryGetValue(queued.Value, out var current) && ReferenceEquals(current, queued))
            {
                live.Enqueue(queued);
            }
        }

        _issueOrder = live;
    }
}
