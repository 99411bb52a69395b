using Portico.Sessions;

namespace Portico.Tests.Unit.Sessions;

public sealed class SessionIdsTests
{
    [Fact]
    public void New_Has256BitsOfBase64UrlAndNeverRepeats()
    {
        var ids = Enumerable.Range(0, 10_000).Select(_ => SessionIds.New()).ToList();

        Assert.All(ids, id => Assert.Equal(43, id.Length));
        Assert.All(ids, id => Assert.True(SessionIds.IsWellFormed(id)));
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData("0f8fad5b-d9cb-469f-a165-70867728950e", true)]
    [InlineData("abc", false)]
    [InlineData("0f8fad5b d9cb 469f a165 70867728950e", false)]
    [InlineData("0f8fad5b-d9cb-469f-a165-70867728950e;x=1", false)]
    [InlineData(null, false)]
    public void IsWellFormed_AcceptsOnlyLongUrlSafeIds(string? id, bool expected) =>
        Assert.Equal(expected, SessionIds.IsWellFormed(id));

    [Fact]
    public void IsWellFormed_RejectsOverlongIds() => Assert.False(SessionIds.IsWellFormed(new string('a', SessionIds.MaximumLength + 1)));
}
