using Portico.Authentication.Oidc;
using Portico.Tests.Support;

namespace Portico.Tests.Unit.Authentication.Oidc;

public sealed class OidcLoginStoreTests
{
    private static OidcPendingLogin Pending(OidcLoginStore store) =>
        new("sso", [1], "nonce", "verifier", "https://portico/sso/oidc/callback", null, store.Now + store.Lifetime);

    [Fact]
    public void Take_OnceOnly()
    {
        var store = new OidcLoginStore(new ManualTimeProvider());
        Assert.True(store.TryAdd("state", Pending(store)));

        Assert.NotNull(store.Take("state"));
        Assert.Null(store.Take("state"));
    }

    [Fact]
    public void Take_AfterLifetime_Null()
    {
        var time = new ManualTimeProvider();
        var store = new OidcLoginStore(time, TimeSpan.FromMinutes(10));
        store.TryAdd("state", Pending(store));

        time.Advance(TimeSpan.FromMinutes(10));

        Assert.Null(store.Take("state"));
        Assert.Equal(0, store.PendingCount);
    }

    [Fact]
    public void TryAdd_Full_RefusesInsteadOfEvicting()
    {
        var store = new OidcLoginStore(new ManualTimeProvider(), capacity: 2);
        Assert.True(store.TryAdd("a", Pending(store)));
        Assert.True(store.TryAdd("b", Pending(store)));

        Assert.False(store.TryAdd("c", Pending(store)));
        Assert.NotNull(store.Take("a"));
    }

    [Fact]
    public void TryAdd_ManyTakenLogins_QueueStaysBounded()
    {
        var store = new OidcLoginStore(new ManualTimeProvider(), capacity: 2);
        var added = 0;
        for (var i = 0; i < 10; i++)
        {
            if (store.TryAdd("s" + i, Pending(store)))
            {
                added++;
                store.Take("s" + i);
            }
        }

        Assert.Equal(4, added);
    }

    [Fact]
    public void TryRecordCode_SecondTime_False()
    {
        var store = new OidcLoginStore(new ManualTimeProvider());

        Assert.True(store.TryRecordCode("code-1"));
        Assert.False(store.TryRecordCode("code-1"));
        Assert.True(store.TryRecordCode("code-2"));
    }
}
