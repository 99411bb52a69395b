using Portico.Cors;
using Portico.Http;

namespace Portico.Tests.Unit.Http;

/// <summary>The memo behind per-origin caches: same answers as the function, and never more keys than its bound.</summary>
public sealed class BoundedMemoTests
{
    [Fact]
    public void Get_AKnownKey_ReturnsTheRememberedAnswerWithoutComputingAgain()
    {
        var memo = new BoundedMemo<string, object>(capacity: 4);
        var calls = 0;
        var first = memo.Get("a", 0, (_, _) => { calls++; return new object(); });
        var second = memo.Get("a", 0, (_, _) => { calls++; return new object(); });

        Assert.Same(first, second);
        Assert.Equal(1, calls);
    }

    [Fact]
    public void Get_MoreKeysThanTheBound_AnswersEveryOneButKeepsOnlyTheBound()
    {
        var memo = new BoundedMemo<int, int>(capacity: 3);
        for (var i = 0; i < 1000; i++)
        {
            Assert.Equal(i * 2, memo.Get(i, 0, static (k, _) => k * 2));
        }

        Assert.Equal(3, memo.Count);
        var calls = 0;
        memo.Get(999, 0, (k, _) => { calls++; return k * 2; });
        Assert.Equal(1, calls); // beyond the bound: computed again, not kept
    }

    [Fact]
    public void Get_WithKeepFalse_AnswersWithoutKeeping()
    {
        var memo = new BoundedMemo<string, int>(capacity: 10);
        Assert.Equal(5, memo.Get("hello", 0, static (k, _) => k.Length, keep: false));
        Assert.Equal(0, memo.Count);
    }

    [Fact]
    public async Task Get_FromManyThreads_NeverExceedsTheBound()
    {
        var memo = new BoundedMemo<int, int>(capacity: 16);
        await Parallel.ForAsync(0, 20_000, (i, _) =>
        {
            Assert.Equal(i + 1, memo.Get(i, 1, static (k, add) => k + add));
            return ValueTask.CompletedTask;
        });

        Assert.InRange(memo.Count, 1, 16);
    }

    [Fact]
    public void OriginParseCache_AnOverlongValue_IsParsedButNotKept()
    {
        var cache = new OriginParseCache(capacity: 8);
        var longHost = "https://" + new string('a', 300) + ".example";
        Assert.Equal(WebOrigin.Parse(longHost), cache.Parse(longHost));
        Assert.Equal(WebOrigin.Parse("https://mashup.example"), cache.Parse("https://mashup.example"));
    }
}
