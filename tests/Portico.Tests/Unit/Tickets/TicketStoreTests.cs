using Portico.Tests.Support;
using Portico.Tickets;

namespace Portico.Tests.Unit.Tickets;

public sealed class TicketStoreTests
{
    private readonly ManualTimeProvider _time = new();

    private static TicketRequest Request(string prefix = "sales", string userId = "bob") => new()
    {
        VirtualProxyPrefix = prefix,
        UserDirectory = "CORP",
        UserId = userId,
        Attributes = [new("group", "sales"), new("group", "emea")],
        TargetId = "target-1",
    };

    [Fact]
    public void Issue_AnyRequest_ValueIs32HexCharactersFrom16RandomBytes()
    {
        var requested = new List<int>();
        var store = new TicketStore(_time, count =>
        {
            requested.Add(count);
            return System.Security.Cryptography.RandomNumberGenerator.GetBytes(count);
        });

        var ticket = store.Issue(Request());

        Assert.Equal([16], requested);
        Assert.Equal(32, ticket.Value.Length);
        Assert.All(ticket.Value, c => Assert.True(char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c), $"'{c}'"));
    }

    [Fact]
    public void Issue_DefaultRandomness_ValuesAreUnique()
    {
        var store = new TicketStore(_time);

        var values = Enumerable.Range(0, 10_000).Select(_ => store.Issue(Request()).Value).ToList();

        Assert.Equal(values.Count, values.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(10_000, store.OutstandingCount);
    }

    [Fact]
    public void Issue_AnyRequest_CarriesRequestAndLifetimeFromClock()
    {
        var store = new TicketStore(_time, new CountingRandom().Bytes);
        var request = Request();

        var ticket = store.Issue(request);

        Assert.Same(request, ticket.Request);
        Assert.Equal(_time.GetUtcNow(), ticket.IssuedAt);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(60), ticket.ExpiresAt);
    }

    [Fact]
    public void Issue_RandomnessReturnsTooFewBytes_Throws()
    {
        var store = new TicketStore(_time, count => new byte[count - 1]);

        Assert.Throws<InvalidOperationException>(() => store.Issue(Request()));
        Assert.Equal(0, store.OutstandingCount);
    }

    [Fact]
    public void Issue_RandomnessRepeatsAValue_ThrowsInsteadOfReplacingTheFirstTicket()
    {
        var store = new TicketStore(_time, CountingRandom.Constant(7));
        var first = store.Issue(Request(userId: "alice"));

        Assert.Throws<InvalidOperationException>(() => store.Issue(Request(userId: "mallory")));

        var redemption = store.Redeem(first.Value, "sales");
        Assert.True(redemption.Success);
        Assert.Equal("alice", redemption.Ticket.Request.UserId);
    }

    [Fact]
    public void Redeem_FreshTicket_ReturnsItsRequestData()
    {
        var store = new TicketStore(_time, new CountingRandom().Bytes);
        var ticket = store.Issue(Request());

        var redemption = store.Redeem(ticket.Value, "sales");

        Assert.True(redemption.Success);
        Assert.Null(redemption.FailureReason);
        Assert.Equal("CORP", redemption.Ticket.Request.UserDirectory);
        Assert.Equal("bob", redemption.Ticket.Request.UserId);
        Assert.Equal("target-1", redemption.Ticket.Request.TargetId);
        Assert.Equal([new("group", "sales"), new("group", "emea")], redemption.Ticket.Request.Attributes);
    }

    [Fact]
    public void Redeem_SameTicketTwice_OnlyFirstSucceeds()
    {
        var store = new TicketStore(_time, new CountingRandom().Bytes);
        var ticket = store.Issue(Request());

        var first = store.Redeem(ticket.Value, "sales");
        var second = store.Redeem(ticket.Value, "sales");

        Assert.True(first.Success);
        Assert.False(second.Success);
        Assert.Equal(TicketRedemption.UnknownReason, second.FailureReason);
        Assert.Equal(0, store.OutstandingCount);
    }

    [Fact]
    public void Redeem_32ConcurrentRedemptionsRepeated200Times_ExactlyOneSucceedsEachTime()
    {
        const int Threads = 32;
        const int Rounds = 200;
        var store = new TicketStore(_time);
        var tickets = Enumerable.Range(0, Rounds).Select(_ => store.Issue(Request()).Value).ToArray();
        var successes = new int[Rounds];
        var failures = new int[Rounds];
        var timedOut = 0;

        // Dedicated threads, not the pool: all 32 must be runnable at once for the barrier to open.
        using var barrier = new Barrier(Threads);
        var workers = Enumerable.Range(0, Threads).Select(_ => new Thread(() =>
        {
            for (var round = 0; round < Rounds; round++)
            {
                if (!barrier.SignalAndWait(TimeSpan.FromSeconds(30)))
                {
                    Interlocked.Increment(ref timedOut);
                    return;
                }

                var result = store.Redeem(tickets[round], "sales");
                if (result.Success)
                {
                    Interlocked.Increment(ref successes[round]);
                }
                else
                {
                    Interlocked.Increment(ref failures[round]);
                }
            }
        })).ToList();

        workers.ForEach(worker => worker.Start());
        workers.ForEach(worker => worker.Join());

        Assert.Equal(0, timedOut);
        Assert.All(successes, count => Assert.Equal(1, count));
        Assert.All(failures, count => Assert.Equal(Threads - 1, count));
        Assert.Equal(0, store.OutstandingCount);
    }

    [Fact]
    public void Redeem_After59Seconds_Succeeds()
    {
        var store = new TicketStore(_time);
        var ticket = store.Issue(Request());

        _time.Advance(TimeSpan.FromSeconds(59));

        Assert.True(store.Redeem(ticket.Value, "sales").Success);
    }

    [Fact]
    public void Redeem_OneTickBefore60Seconds_Succeeds()
    {
        var store = new TicketStore(_time);
        var ticket = store.Issue(Request());

        _time.Advance(TimeSpan.FromSeconds(60) - TimeSpan.FromTicks(1));

        Assert.True(store.Redeem(ticket.Value, "sales").Success);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Redeem_At60SecondsOrLater_FailsAsExpired(long extraTicks)
    {
        var store = new TicketStore(_time);
        var ticket = store.Issue(Request());

        _time.Advance(TimeSpan.FromSeconds(60) + TimeSpan.FromTicks(extraTicks));
        var redemption = store.Redeem(ticket.Value, "sales");

        Assert.False(redemption.Success);
        Assert.Equal(TicketRedemption.ExpiredReason, redemption.FailureReason);
    }

    [Fact]
    public void Redeem_ExpiredTicket_IsRemoved()
    {
        var store = new TicketStore(_time);
        var ticket = store.Issue(Request());
        _time.Advance(TimeSpan.FromMinutes(2));

        store.Redeem(ticket.Value, "sales");

        Assert.Equal(0, store.OutstandingCount);
        Assert.Equal(TicketRedemption.UnknownReason, store.Redeem(ticket.Value, "sales").FailureReason);
    }

    [Fact]
    public void Redeem_CustomLifetime_Honoured()
    {
        var store = new TicketStore(_time, lifetime: TimeSpan.FromSeconds(10));
        var early = store.Issue(Request());
        var late = store.Issue(Request());

        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.True(store.Redeem(early.Value, "sales").Success);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TicketRedemption.ExpiredReason, store.Redeem(late.Value, "sales").FailureReason);
    }

    [Fact]
    public void Redeem_WrongVirtualProxy_RejectedAndThenUnusableOnTheRightOne()
    {
        var store = new TicketStore(_time);
        var ticket = store.Issue(Request("sales"));

        var wrong = store.Redeem(ticket.Value, "finance");
        var right = store.Redeem(ticket.Value, "sales");

        Assert.False(wrong.Success);
        Assert.Equal(TicketRedemption.WrongVirtualProxyReason, wrong.FailureReason);
        Assert.False(right.Success);
        Assert.Equal(TicketRedemption.UnknownReason, right.FailureReason);
    }

    [Theory]
    [InlineData("sales", "")]
    [InlineData("", "sales")]
    [InlineData("sales", "Sales")]
    [InlineData("sales", "sales/")]
    [InlineData("sales", " sales")]
    public void Redeem_PrefixNotExactlyTheIssuingOne_Rejected(string issuedFor, string presentedOn)
    {
        var store = new TicketStore(_time);
        var ticket = store.Issue(Request(issuedFor));

        Assert.Equal(TicketRedemption.WrongVirtualProxyReason, store.Redeem(ticket.Value, presentedOn).FailureReason);
    }

    [Fact]
    public void Redeem_DefaultVirtualProxyTicketOnDefaultProxy_Succeeds()
    {
        var store = new TicketStore(_time);
        var ticket = store.Issue(Request(""));

        Assert.True(store.Redeem(ticket.Value, "").Success);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-ticket")]
    [InlineData("00000000000000000000000000000000")]
    public void Redeem_UnknownValue_FailsAsUnknown(string value)
    {
        var store = new TicketStore(_time);
        store.Issue(Request());

        var redemption = store.Redeem(value, "sales");

        Assert.False(redemption.Success);
        Assert.Equal(TicketRedemption.UnknownReason, redemption.FailureReason);
        Assert.Equal(1, store.OutstandingCount);
    }

    [Fact]
    public void Redeem_ValueInUpperCase_FailsAsUnknown()
    {
        var store = new TicketStore(_time);
        var ticket = store.Issue(Request());

        Assert.Equal(TicketRedemption.UnknownReason, store.Redeem(ticket.Value.ToUpperInvariant(), "sales").FailureReason);
        Assert.True(store.Redeem(ticket.Value, "sales").Success);
    }

    [Fact]
    public void TryIssue_StoreFullOfUnexpiredTickets_Refuses()
    {
        var store = new TicketStore(_time, capacity: 3);
        for (var i = 0; i < 3; i++)
        {
            store.Issue(Request());
        }

        Assert.False(store.TryIssue(Request(), out var refused));
        Assert.Null(refused);
        Assert.Throws<InvalidOperationException>(() => store.Issue(Request()));
        Assert.Equal(3, store.OutstandingCount);
    }

    [Fact]
    public void TryIssue_StoreFullButOldestExpired_PurgesExpiredAndIssues()
    {
        var store = new TicketStore(_time, capacity: 3);
        var old = store.Issue(Request());
        _time.Advance(TimeSpan.FromSeconds(30));
        var newer1 = store.Issue(Request());
        var newer2 = store.Issue(Request());
        _time.Advance(TimeSpan.FromSeconds(30));

        Assert.True(store.TryIssue(Request(), out var issued));

        Assert.Equal(3, store.OutstandingCount);
        Assert.Equal(TicketRedemption.UnknownReason, store.Redeem(old.Value, "sales").FailureReason);
        Assert.True(store.Redeem(newer1.Value, "sales").Success);
        Assert.True(store.Redeem(newer2.Value, "sales").Success);
        Assert.True(store.Redeem(issued.Value, "sales").Success);
    }

    [Fact]
    public void TryIssue_StoreFullThenOneRedeemed_IssuesAgain()
    {
        var store = new TicketStore(_time, capacity: 2);
        var first = store.Issue(Request());
        store.Issue(Request());

        store.Redeem(first.Value, "sales");

        Assert.True(store.TryIssue(Request(), out _));
    }

    [Fact]
    public void Issue_ManyRedeemedBehindAnOutstandingTicket_StaysUsableAndPurgesOnExpiry()
    {
        var store = new TicketStore(_time, capacity: 10);
        var held = store.Issue(Request());
        for (var i = 0; i < 50_000; i++)
        {
            var ticket = store.Issue(Request());
            Assert.True(store.Redeem(ticket.Value, "sales").Success);
        }

        Assert.Equal(1, store.OutstandingCount);
        _time.Advance(TimeSpan.FromSeconds(61));
        store.Issue(Request());

        Assert.Equal(1, store.OutstandingCount);
        Assert.Equal(TicketRedemption.UnknownReason, store.Redeem(held.Value, "sales").FailureReason);
    }

    [Fact]
    public void ToString_TicketAndRedemption_NeverContainTheValue()
    {
        var store = new TicketStore(_time);
        var ticket = store.Issue(Request());
        var redemption = store.Redeem(ticket.Value, "sales");

        Assert.DoesNotContain(ticket.Value, ticket.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(ticket.Value, redemption.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("[redacted]", ticket.ToString(), StringComparison.Ordinal);
        Assert.Contains("bob", ticket.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NonPositiveLifetimeOrCapacity_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TicketStore(_time, lifetime: TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TicketStore(_time, capacity: 0));
    }
}
