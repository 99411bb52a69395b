using System.Text;
using System.Text.Json;
using Portico.Audit;

namespace Portico.Tests.Unit.Audit;

/// <summary>The in-memory buffer behind GET /qrs/portico/audit: bounded, newest first, filtered.</summary>
public sealed class RecentAuditEventsTests
{
    [Fact]
    public void Find_ReturnsNewestFirst_UpToTheLimit()
    {
        var recent = new RecentAuditEvents();
        for (var i = 0; i < 5; i++)
        {
            Write(recent, $$"""{"event":"login.succeeded","outcome":"success","version":{{i}}}""");
        }

        var found = recent.Find(Query(limit: "3"));

        Assert.Equal([4, 3, 2], found.Select(Version));
    }

    [Fact]
    public void Write_BeyondTheCapacity_DropsTheOldest()
    {
        var recent = new RecentAuditEvents(capacity: 3);
        for (var i = 0; i < 10; i++)
        {
            Write(recent, $$"""{"event":"e","outcome":"info","version":{{i}}}""");
        }

        Assert.Equal([9, 8, 7], recent.Find(Query()).Select(Version));
    }

    [Fact]
    public void Write_BeyondTheByteBound_DropsTheOldest_ButKeepsTheNewestEvenIfLarge()
    {
        var recent = new RecentAuditEvents(capacity: 100, maxBytes: 200);
        for (var i = 0; i < 10; i++)
        {
            Write(recent, $$"""{"event":"e","outcome":"info","version":{{i}},"detail":"{{new string('x', 60)}}"}""");
        }

        var kept = recent.Find(Query());
        Assert.InRange(kept.Sum(e => e.Json.Length), 1, 200);
        Assert.Equal(9, Version(kept[0]));

        Write(recent, $$"""{"event":"big","outcome":"info","version":99,"detail":"{{new string('y', 500)}}"}""");
        Assert.Equal([99], recent.Find(Query()).Select(Version));
    }

    [Fact]
    public void Find_FiltersByUserVirtualProxyAndDecision_ExactlyAndCaseInsensitively()
    {
        var recent = new RecentAuditEvents();
        Write(recent, """{"event":"login.succeeded","outcome":"success","virtualProxy":"ticket","userDirectory":"DEMO","userId":"alice","version":1}""");
        Write(recent, """{"event":"login.refused","outcome":"failure","virtualProxy":"ticket","userDirectory":"DEMO","userId":"bob","version":2}""");
        Write(recent, """{"event":"admin.virtualproxy.created","outcome":"success","virtualProxy":"sales","actor":"console DEMO\\alice","version":3}""");
        Write(recent, """{"event":"admin.virtualproxy.updated","outcome":"success","virtualProxy":"sales","actor":"CN=admin (as DEMO\\alice)","version":4}""");
        Write(recent, """{"event":"login.succeeded","outcome":"success","virtualProxy":"ticketing","userDirectory":"DEMO","userId":"alicia","version":5}""");

        Assert.Equal([3, 1], recent.Find(Query(user: "demo\\ALICE")).Select(Version));
        Assert.Equal([2, 1], recent.Find(Query(virtualProxy: "TICKET")).Select(Version));
        Assert.Equal([2], recent.Find(Query(decision: "refused")).Select(Version));
        Assert.Equal([2], recent.Find(Query(decision: "failure")).Select(Version));
        Assert.Equal([5, 4, 3, 1], recent.Find(Query(decision: "allowed")).Select(Version));
        Assert.Equal([1], recent.Find(Query(user: "DEMO\\alice", virtualProxy: "ticket", decision: "success")).Select(Version));
        Assert.Empty(recent.Find(Query(user: "DEMO\\carol")));
    }

    [Theory]
    [InlineData("maybe", null)]
    [InlineData(null, "0")]
    [InlineData(null, "-1")]
    [InlineData(null, "ten")]
    public void Parse_UnusableDecisionOrLimit_SaysWhy(string? decision, string? limit)
    {
        Assert.Null(AuditQuery.Parse(null, null, decision, limit, capacity: 2000, out var error));
        Assert.NotNull(error);
    }

    [Fact]
    public void Parse_LimitAboveTheCapacity_IsCapped_AndEmptyFiltersMatchEverything()
    {
        var query = AuditQuery.Parse("", "", "", "999999", capacity: 2000, out _)!;

        Assert.Equal(2000, query.Limit);
        Assert.Null(query.User);
        Assert.Null(query.VirtualProxy);
        Assert.Null(query.Outcome);
    }

    [Fact]
    public async Task WriteAndFind_FromManyThreads_StayWithinTheBound()
    {
        var recent = new RecentAuditEvents(capacity: 50);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 500; i++)
            {
                Write(recent, $$"""{"event":"e","outcome":"info","version":{{(t * 1000) + i}}}""");
                _ = recent.Find(Query(limit: "10"));
            }
        })));

        Assert.Equal(50, recent.Find(Query(limit: "2000")).Count);
    }

    private static AuditQuery Query(string? user = null, string? virtualProxy = null, string? decision = null, string? limit = null) =>
        AuditQuery.Parse(user, virtualProxy, decision, limit, capacity: 2000, out var error) ?? throw new InvalidOperationException(error);

    private static void Write(RecentAuditEvents recent, string json) => recent.Write(Encoding.UTF8.GetBytes(json + "\n"));

    private static int Version(RecentAuditEvent audited) => JsonDocument.Parse(audited.Json).RootElement.GetProperty("version").GetInt32();
}
