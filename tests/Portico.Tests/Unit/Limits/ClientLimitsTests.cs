using System.Net;
using Portico.Configuration;
using Portico.Limits;

namespace Portico.Tests.Unit.Limits;

public sealed class ClientLimitsTests
{
    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.1");

    private static PorticoConfig WithRate(int perMinute) => new() { ClientLimits = new ClientLimitsConfig { AnonymousSessionsPerMinute = perMinute } };

    [Fact]
    public void TryCreateAnonymousSession_AfterAReloadThatChangesTheRate_TheNewRateApplies()
    {
        var store = new ConfigSnapshotStore(ConfigSnapshot.Create(WithRate(1), Path.GetTempPath(), version: 1));
        using var limits = new ClientLimits(store);
        Assert.True(limits.TryCreateAnonymousSession(Client, out _));
        Assert.False(limits.TryCreateAnonymousSession(Client, out var retryAfter));
        Assert.True(retryAfter > TimeSpan.Zero);

        store.Swap(WithRate(3), Path.GetTempPath());

        for (var i = 0; i < 3; i++)
        {
            Assert.True(limits.TryCreateAnonymousSession(Client, out _));
        }

        Assert.False(limits.TryCreateAnonymousSession(Client, out _));
    }

    [Fact]
    public void TryCreateAnonymousSession_AReloadThatKeepsTheRate_KeepsEveryClientsBucket()
    {
        var store = new ConfigSnapshotStore(ConfigSnapshot.Create(WithRate(1), Path.GetTempPath(), version: 1));
        using var limits = new ClientLimits(store);
        Assert.True(limits.TryCreateAnonymousSession(Client, out _));

        store.Swap(WithRate(1) with { PublicHost = "other.example.com" }, Path.GetTempPath());

        Assert.False(limits.TryCreateAnonymousSession(Client, out _));
    }
}
