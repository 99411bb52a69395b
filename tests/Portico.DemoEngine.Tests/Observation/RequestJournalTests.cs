using Portico.DemoEngine.Observation;

namespace Portico.DemoEngine.Tests.Observation;

public sealed class RequestJournalTests
{
    [Fact]
    public void Add_BeyondCapacity_DropsOldestFirst()
    {
        var journal = new RequestJournal(capacity: 3);

        for (var i = 0; i < 5; i++)
        {
            journal.Add(new ObservedRequest("GET", $"/{i}", string.Empty, new Dictionary<string, string>(), IsWebSocket: false));
        }

        Assert.Equal(["/2", "/3", "/4"], journal.Snapshot().Select(r => r.Path));
    }

    [Fact]
    public void Snapshot_LaterAdds_DoNotChangeEarlierSnapshot()
    {
        var journal = new RequestJournal();
        journal.Add(new ObservedRequest("GET", "/a", string.Empty, new Dictionary<string, string>(), IsWebSocket: false));

        var snapshot = journal.Snapshot();
        journal.Add(new ObservedRequest("GET", "/b", string.Empty, new Dictionary<string, string>(), IsWebSocket: false));

        Assert.Single(snapshot);
    }
}
