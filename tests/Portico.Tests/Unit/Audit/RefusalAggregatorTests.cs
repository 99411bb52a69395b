using Portico.Audit;

namespace Portico.Tests.Unit.Audit;

public sealed class RefusalAggregatorTests
{
    [Fact]
    public void Admit_FirstOfEachKeyOnly_RepeatsCountedUntilTheWindowCloses()
    {
        var aggregator = new RefusalAggregator(capacity: 100);

        Assert.True(aggregator.Admit(Refusal("a", "r1")));
        Assert.False(aggregator.Admit(Refusal("a", "r1")));
        Assert.False(aggregator.Admit(Refusal("a", "r1")));
        Assert.True(aggregator.Admit(Refusal("a", "r2")));
        Assert.True(aggregator.Admit(Refusal("b", "r1")));
        Assert.True(aggregator.Admit(Refusal("a", "r1") with { Code = AuditCodes.OriginRefused }));

        var closed = aggregator.CloseWindow(DateTimeOffset.UnixEpoch, TimeSpan.FromSeconds(10));

        var only = Assert.Single(closed);
        Assert.Equal(("a", "r1", 2L), (only.Client, only.Reason, only.Count));
        Assert.True(aggregator.Admit(Refusal("a", "r1")), "a new window writes the first refusal again");
    }

    [Fact]
    public void Admit_BeyondCapacity_CountsIntoOneOtherBucket()
    {
        var aggregator = new RefusalAggregator(capacity: 3);
        for (var client = 0; client < 1_000; client++)
        {
            aggregator.Admit(Refusal("10.0.0." + client, "r"));
            aggregator.Admit(Refusal("10.0.0." + client, "r"));
        }

        var closed = aggregator.CloseWindow(DateTimeOffset.UnixEpoch, TimeSpan.FromSeconds(10));

        Assert.Equal(4, closed.Count);
        Assert.All(closed.Take(3), e => Assert.Equal(1, e.Count));
        var other = closed.Single(e => e.Code == AuditCodes.RefusalsOther);
        Assert.Equal(2 * 997, other.Count);
        Assert.Null(other.Client);
    }

    private static AuditEvent Refusal(string client, string reason) =>
        new() { Code = AuditCodes.LoginFailed, Outcome = AuditOutcome.Failure, Client = client, Reason = reason };
}
