using System.Net;
using Portico.Authentication.Header;

namespace Portico.Tests.Unit.Authentication.Header;

public sealed class TrustedNetworksTests
{
    private static TrustedNetworks Parse(params string[] entries)
    {
        var networks = TrustedNetworks.TryParse(entries, out var errors);
        Assert.Empty(errors);
        return Assert.IsType<TrustedNetworks>(networks);
    }

    [Theory]
    [InlineData("10.0.0.0/8", "10.255.1.2", true)]
    [InlineData("10.0.0.0/8", "11.0.0.1", false)]
    [InlineData("192.168.1.0/24", "192.168.1.255", true)]
    [InlineData("192.168.1.0/24", "192.168.2.0", false)]
    [InlineData("192.168.1.10", "192.168.1.10", true)]
    [InlineData("192.168.1.10", "192.168.1.11", false)]
    [InlineData("0.0.0.0/0", "203.0.113.7", true)]
    [InlineData("::1/128", "::1", true)]
    [InlineData("::1", "::1", true)]
    [InlineData("::1", "::2", false)]
    [InlineData("2001:db8::/32", "2001:db8:ffff::1", true)]
    [InlineData("2001:DB8::/32", "2001:db9::1", false)]
    [InlineData("10.0.0.0/8", "::ffff:10.1.2.3", true)]
    [InlineData("10.0.0.0/8", "::ffff:11.1.2.3", false)]
    [InlineData("::ffff:10.0.0.0/104", "10.1.2.3", true)]
    [InlineData("127.0.0.1", "::1", false)]
    [InlineData("::1", "127.0.0.1", false)]
    [InlineData("10.0.0.0/8", "::a00:1", false)]
    [InlineData(" 10.0.0.0/8 ", "10.0.0.1", true)]
    public void Contains_Address_MatchesExpected(string entry, string address, bool expected)
    {
        Assert.Equal(expected, Parse(entry).Contains(IPAddress.Parse(address)));
    }

    [Fact]
    public void Contains_SeveralNetworks_AnyMatches()
    {
        var networks = Parse("10.0.0.0/8", "172.16.0.0/12", "fd00::/8");

        Assert.True(networks.Contains(IPAddress.Parse("172.31.255.255")));
        Assert.True(networks.Contains(IPAddress.Parse("fd12::1")));
        Assert.False(networks.Contains(IPAddress.Parse("172.32.0.0")));
        Assert.Equal(3, networks.Networks.Count);
    }

    [Fact]
    public void Contains_EmptyListOrNullAddress_False()
    {
        Assert.False(Parse().Contains(IPAddress.Loopback));
        Assert.False(Parse("0.0.0.0/0").Contains(null));
    }

    [Theory]
    [InlineData("", "empty entry")]
    [InlineData("   ", "empty entry")]
    [InlineData("10.0.0.1/8", "bits set beyond the /8 prefix")]
    [InlineData("10.0.0.0/33", "from 0 to 32")]
    [InlineData("::/129", "from 0 to 128")]
    [InlineData("10.0.0.0/", "from 0 to 32")]
    [InlineData("10.0.0.0/-1", "from 0 to 32")]
    [InlineData("10.0.0.0/+8", "from 0 to 32")]
    [InlineData("10.0.0.0/08", "from 0 to 32")]
    [InlineData("10.0.0.0/8/8", "from 0 to 32")]
    [InlineData("10.0.0.0/ 8", "from 0 to 32")]
    [InlineData("10", "not an IPv4 address")]
    [InlineData("10.1", "not an IPv4 address")]
    [InlineData("10.0.0", "not an IPv4 address")]
    [InlineData("0x0a.0.0.1", "not an IPv4 address")]
    [InlineData("010.0.0.1", "not an IPv4 address")]
    [InlineData("256.0.0.1", "not an IPv4 address")]
    [InlineData("10.0.0.0.0", "not an IPv4 address")]
    [InlineData("example.com", "not an IPv4 address")]
    [InlineData("fe80::1%eth0", "not an IPv4 address")]
    [InlineData("2001:db8::zz/32", "not an IPv4 address")]
    public void TryParse_InvalidEntry_ErrorNamesIndexAndProblem(string entry, string expected)
    {
        var networks = TrustedNetworks.TryParse(["127.0.0.1", entry], out var errors);

        Assert.Null(networks);
        var error = Assert.Single(errors);
        Assert.StartsWith("[1] ", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_HostBitsSet_SuggestsTheNetworkAddress()
    {
        TrustedNetworks.TryParse(["192.168.1.77/24"], out var errors);

        Assert.Contains("192.168.1.0/24", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_SeveralBadEntries_ReportsEveryOne()
    {
        var networks = TrustedNetworks.TryParse(["bad", "10.0.0.0/8", "10.0.0.1/8", "::1"], out var errors);

        Assert.Null(networks);
        Assert.Equal(2, errors.Count);
        Assert.StartsWith("[0] ", errors[0], StringComparison.Ordinal);
        Assert.StartsWith("[2] ", errors[1], StringComparison.Ordinal);
    }
}
