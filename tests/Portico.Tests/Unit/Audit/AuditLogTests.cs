using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Portico.Audit;
using Portico.Tests.Support;

namespace Portico.Tests.Unit.Audit;

/// <summary>The queues, the aggregation window and the writer, on virtual time with an in-memory sink.</summary>
public sealed class AuditLogTests
{
    private static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    [Fact]
    public async Task Flood_OfRefusalsFromOneAddress_IsAggregated_WhileEveryLoginIsWritten()
    {
        var time = new ManualTimeProvider();
        var log = new AuditLog(enabled: true, time);
        var sink = new MemoryAuditSink();
        using var writer = Writer(log, sink, time);
        await writer.StartAsync(CancellationToken.None);

        const int Refusals = 20_000;
        const int Logins = 200;
        var flood = Task.Run(() =>
        {
            for (var i = 0; i < Refusals; i++)
            {
                log.Refused(Refusal("203.0.113.9"));
            }
        });
        for (var i = 0; i < Logins; i++)
        {
            await log.RecordAsync(Login("user" + i));
        }

        await flood;
        // As below: each poll moves the clock on by a window until the window has closed.
        await Eventually.TrueAsync(() =>
        {
            time.Advance(AuditWriter.DefaultWindow);
            return sink.Events.Any(e => e.TryGetProperty("count", out _));
        }, TimeSpan.FromSeconds(10), "the aggregated refusals");
        await writer.StopAsync(CancellationToken.None);

        var events = sink.Events;
        var refusals = events.Where(e => e.Field("event") == AuditCodes.CsrfRefused).ToList();
        Assert.Equal(2, refusals.Count);
        Assert.False(refusals[0].TryGetProperty("count", out _));
        Assert.Equal(Refusals - 1, refusals[1].GetProperty("count").GetInt64());
        Assert.Equal(10, refusals[1].GetProperty("windowSeconds").GetInt32());
        Assert.Equal("203.0.113.9", refusals[1].Field("client"));
        Assert.Equal("CSRF-PROOF", refusals[1].Field("reason"));
        var logins = events.Where(e => e.Field("event") == AuditCodes.LoginSucceeded).Select(e => e.Field("userId")).ToHashSet();
        Assert.Equal(Logins, logins.Count);
        Assert.Equal(Refusals, refusals.Sum(r => r.TryGetProperty("count", out var c) ? c.GetInt64() : 1));
    }

    [Fact]
    public async Task FullQueues_DropAndCountRefusals_ButKeptEventsWaitForRoom()
    {
        var time = new ManualTimeProvider();
        var log = new AuditLog(enabled: true, time, keptCapacity: 4, refusalCapacity: 4);
        var sink = new MemoryAuditSink();

        // The writer is not running yet: both queues fill up.
        for (var i = 0; i < 10; i++)
        {
            log.Refused(Refusal("198.51.100." + i));
        }

        var kept = Enumerable.Range(0, 10).Select(i => log.RecordAsync(Login("kept" + i)).AsTask()).ToList();
        Assert.Equal(4, kept.Count(t => t.IsCompleted));

        using var writer = Writer(log, sink, time);
        await writer.StartAsync(CancellationToken.None);
        await Task.WhenAll(kept).WaitAsync(TimeSpan.FromSeconds(10));
        // The writer may arm its window timer just after an advance (then due a window later), so
        // each poll moves the clock on by a window until the window has closed.
        await Eventually.TrueAsync(() =>
        {
            time.Advance(AuditWriter.DefaultWindow);
            return sink.Events.Any(e => e.Field("event") == AuditCodes.RefusalsDropped);
        }, TimeSpan.FromSeconds(10), "the count of dropped refusals");
        await writer.StopAsync(CancellationToken.None);

        var events = sink.Events;
        Assert.Equal(10, events.Count(e => e.Field("event") == AuditCodes.LoginSucceeded));
        Assert.Equal(4, events.Count(e => e.Field("event") == AuditCodes.CsrfRefused));
        Assert.Equal(6, events.Single(e => e.Field("event") == AuditCodes.RefusalsDropped).GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task Stop_WritesWhatIsStillQueued()
    {
        var time = new ManualTimeProvider();
        var log = new AuditLog(enabled: true, time);
        var sink = new MemoryAuditSink();
        using var writer = Writer(log, sink, time);
        await writer.StartAsync(CancellationToken.None);

        await log.RecordAsync(AuditEvents.SessionEnded(Session("s-" + new string('a', 40)), Portico.Sessions.SessionEndReason.Logout));
        log.Refused(Refusal("192.0.2.1"));
        log.Refused(Refusal("192.0.2.1"));
        await writer.StopAsync(CancellationToken.None);

        var events = sink.Events;
        Assert.Contains(events, e => e.Field("event") == AuditCodes.SessionEnded && e.Field("reason") == "logout");
        Assert.Contains(events, e => e.Field("event") == AuditCodes.CsrfRefused && e.TryGetProperty("count", out var c) && c.GetInt64() == 1);
    }

    [Fact]
    public void Disabled_RecordsNothing()
    {
        var log = new AuditLog(enabled: false, TimeProvider.System);

        log.Refused(Refusal("192.0.2.1"));
        Assert.True(log.RecordAsync(Login("x")).AsTask().IsCompletedSuccessfully);

        Assert.False(log.Refusals.TryRead(out _));
        Assert.False(log.Kept.TryRead(out _));
    }

    [Fact]
    public void Line_EscapesUserValues_AndNamesTheSessionOnlyByItsKeyedHash()
    {
        var sessionId = "Zx9_" + new string('k', 40);
        var forgedUser = "eve\n{\"event\":\"login.succeeded\"}\r\u2028\u202e\"";
        var session = Session(sessionId) with { User = new Portico.Authentication.AuthenticatedUser("CORP", forgedUser) };
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();

        AuditJson.WriteLine(buffer, AuditEvents.SessionCreated(session) with { At = DateTimeOffset.UnixEpoch }, new SessionIdHash(Key));

        var line = System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
        Assert.EndsWith("\n", line, StringComparison.Ordinal);
        Assert.Equal(1, line.Count(c => c == '\n'));
        Assert.DoesNotContain('\r', line);
        Assert.All(line, c => Assert.True(c < 128, "only ASCII is written"));
        Assert.DoesNotContain(sessionId, line, StringComparison.Ordinal);
        var parsed = JsonDocument.Parse(line).RootElement;
        Assert.Equal(forgedUser, parsed.Field("userId"));
        Assert.Equal("session.created", parsed.Field("event"));
        Assert.Equal("1970-01-01T00:00:00.000Z", parsed.Field("time"));
        Assert.Equal(new SessionIdHash(Key).Of(sessionId), parsed.Field("session"));
        Assert.Matches("^[0-9a-f]{16}$", parsed.Field("session"));
        Assert.NotEqual(new SessionIdHash(new byte[32]).Of(sessionId), parsed.Field("session"));
    }

    private static AuditWriter Writer(AuditLog log, MemoryAuditSink sink, TimeProvider time) =>
        new(log, [sink], new SessionIdHash(Key), time, NullLogger<AuditWriter>.Instance);

    private static AuditEvent Refusal(string client) =>
        new() { Code = AuditCodes.CsrfRefused, Outcome = AuditOutcome.Failure, Client = client, Reason = "CSRF-PROOF", VirtualProxy = "sales" };

    private static AuditEvent Login(string userId) =>
        new() { Code = AuditCodes.LoginSucceeded, Outcome = AuditOutcome.Success, UserDirectory = "CORP", UserId = userId, Method = "jwt", Client = "203.0.113.9" };

    private static Portico.Sessions.Session Session(string id) => new()
    {
        Id = id,
        VirtualProxyPrefix = "sales",
        User = new Portico.Authentication.AuthenticatedUser("CORP", "alice"),
        CreatedAt = DateTimeOffset.UnixEpoch,
        LastActivityAt = DateTimeOffset.UnixEpoch,
    };
}
