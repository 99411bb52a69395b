using System.Net;
using Portico.Limits;

namespace Portico.Tests.Unit.Limits;

public sealed class ClientRateLimiterTests
{
    [Theory]
    [InlineData("192.0.2.1", "192.0.2.1", true)]
    [InlineData("192.0.2.1", "192.0.2.2", false)]
    [InlineData("192.0.2.1", "::ffff:192.0.2.1", true)]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:ffff", true)]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:3::1", false)]
    [InlineData("0.0.0.1", "::1", false)]
    public void ClientAddressKey_SameClient(string a, string b, bool same)
    {
        Assert.Equal(same, ClientAddressKey.Of(IPAddress.Parse(a)) == ClientAddressKey.Of(IPAddress.Parse(b)));
    }

    [Fact]
    public void TryAcquire_BeyondTheBurst_RefusesThatClientOnlyWithARetryAfter()
    {
        using var limiter = new ClientRateLimiter(perMinute: 3);
        var client = IPAddress.Parse("192.0.2.1");

        for (var i = 0; i < 3; i++)
        {
            Assert.True(limiter.TryAcquire(client, out _));
        }

        Assert.False(limiter.TryAcquire(client, out var retryAfter));
        Assert.True(retryAfter > TimeSpan.Zero);
        Assert.True(limiter.TryAcquire(IPAddress.Parse("192.0.2.2"), out _));
    }

    [Fact]
    public void TryAcquire_RotatingThroughAnIpv6Block_CountsAsOneClient()
    {
        using var limiter = new ClientRateLimiter(perMinute: 2);

        Assert.True(limiter.TryAcquire(IPAddress.Parse("2001:db8::1"), out _));
        Assert.True(limiter.TryAcquire(IPAddress.Parse("2001:db8::2"), out _));
        Assert.False(limiter.TryAcquire(IPAddress.Parse("2001:db8::3"), out _));
    }

    [Fact]
    public void TryAcquire_LimitOff_AlwaysAllows()
    {
        using var limiter = new ClientRateLimiter(perMinute: 0);

        for (var i = 0; i < 1000; i++)
        {
            Assert.True(limiter.TryAcquire(IPAddress.Loopback, out _));
        }
    }
}
