using Portico.Tests.Support;
using Portico.Tickets;

namespace Portico.Tests.Unit.Tickets;

public sealed class TargetStoreTests
{
    private static readonly Uri Hub = new("https://qlik.example.com/sales/hub/stream/mine");

    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void Register_AbsoluteHttpsAddress_ResolvesToIt()
    {
        var store = new TargetStore(_time);

        var id = store.Register(Hub);

        Assert.Equal(Hub, store.Resolve(id));
    }

    [Fact]
    public void Register_DefaultRandomness_IdsAre32HexCharactersAndUnique()
    {
        var store = new TargetStore(_time);

        var ids = Enumerable.Range(0, 5_000).Select(_ => store.Register(Hub)).ToList();

        Assert.All(ids, id => Assert.Matches("^[0-9a-f]{32}$", id));
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Resolve_SameIdTwice_ResolvesBothTimes()
    {
        var store = new TargetStore(_time);
        var id = store.Register(Hub);

        Assert.Equal(Hub, store.Resolve(id));
        Assert.Equal(Hub, store.Resolve(id));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("00000000000000000000000000000000")]
    public void Resolve_UnknownId_ReturnsNull(string? id)
    {
        var store = new TargetStore(_time);
        store.Register(Hub);

        Assert.Null(store.Resolve(id));
    }

    [Fact]
    public void Resolve_IdInUpperCase_ReturnsNull()
    {
        var store = new TargetStore(_time);
        var id = store.Register(Hub);

        Assert.Null(store.Resolve(id!.ToUpperInvariant()));
    }

    [Fact]
    public void Resolve_JustBeforeTenMinutes_ReturnsAddress()
    {
        var store = new TargetStore(_time);
        var id = store.Register(Hub);

        _time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromTicks(1));

        Assert.Equal(Hub, store.Resolve(id));
    }

    [Fact]
    public void Resolve_AfterTenMinutes_ReturnsNullAndForgetsTheEntry()
    {
        var store = new TargetStore(_time);
        var id = store.Register(Hub);

        _time.Advance(TimeSpan.FromMinutes(10));

        Assert.Null(store.Resolve(id));
        Assert.Equal(0, store.Count);
    }

    [Theory]
    [InlineData("/sales/hub")]
    [InlineData("javascript:alert(1)")]
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://example.com/")]
    public void Register_NotAnAbsoluteHttpAddress_Throws(string target)
    {
        var store = new TargetStore(_time);

        Assert.Throws<ArgumentException>(() => store.Register(new Uri(target, UriKind.RelativeOrAbsolute)));
    }

    [Fact]
    public void Register_BeyondCapacity_RefusesTheNewOneAndKeepsTheOthers()
    {
        var store = new TargetStore(_time, capacity: 2);
        var first = store.Register(new Uri("https://qlik.example.com/1"));
        var second = store.Register(new Uri("https://qlik.example.com/2"));

        var third = store.Register(new Uri("https://qlik.example.com/3"));

        Assert.Null(third);
        Assert.Equal(2, store.Count);
        Assert.Equal(new Uri("https://qlik.example.com/1"), store.Resolve(first));
        Assert.Equal(new Uri("https://qlik.example.com/2"), store.Resolve(second));
    }

    [Fact]
    public void Register_BeyondTotalBytes_RefusesUntilEntriesExpire()
    {
        var store = new TargetStore(_time, maxTotalBytes: 4 * 1024);
        var registered = 0;
        while (store.Register(new Uri("https://qlik.example.com/" + new string('a', 200))) is not null)
        {
            registered++;
        }

        Assert.InRange(registered, 1, 4);
        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.NotNull(store.Register(Hub));
    }

    [Fact]
    public void Register_LongerThanTheLimit_IsNotStored()
    {
        var store = new TargetStore(_time);

        Assert.Null(store.Register(new Uri("https://qlik.example.com/" + new string('a', TargetStore.MaxTargetLength))));
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public void Register_AfterOthersExpired_PurgesThem()
    {
        var store = new TargetStore(_time);
        store.Register(Hub);
        store.Register(Hub);
        _time.Advance(TimeSpan.FromMinutes(11));

        store.Register(Hub);

        Assert.Equal(1, store.Count);
    }

    [Fact]
    public void Register_RandomnessRepeatsAnId_ThrowsInsteadOfRedirectingTheFirstUser()
    {
        var store = new TargetStore(_time, CountingRandom.Constant(3));
        var id = store.Register(Hub);

        Assert.Throws<InvalidOperationException>(() => store.Register(new Uri("https://qlik.example.com/elsewhere")));
        Assert.Equal(Hub, store.Resolve(id));
    }
}
