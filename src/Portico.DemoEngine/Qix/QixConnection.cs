using Portico.DemoEngine.Identity;

namespace Portico.DemoEngine.Qix;

/// <summary>
/// The state of one engine connection: who it runs as, the open app and the handles handed out.
/// Requests on a connection are handled one at a time, so the state needs no locking.
/// </summary>
internal sealed class QixConnection
{
    public const int GlobalHandle = -1;

    private readonly Dictionary<int, QixObject> _objects = [];
    private readonly List<int> _closedHandles = [];
    private int _lastHandle;

    public QixConnection(QlikUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        User = user;
    }

    public QlikUser User { get; }

    public OpenDocument? ActiveDocument { get; private set; }

    public IEnumerable<SessionObject> SessionObjects => _objects.Values.OfType<SessionObject>();

    public OpenDocument Open(Apps.DemoApp app)
    {
        if (ActiveDocument is not null)
        {
            throw new InvalidOperationException("A connection holds at most one app.");
        }

        ActiveDocument = new OpenDocument(NextHandle(), app);
        _objects.Add(ActiveDocument.Handle, ActiveDocument);
        return ActiveDocument;
    }

    public SessionObject Add(Func<int, SessionObject> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        var created = create(NextHandle());
        _objects.Add(created.Handle, created);
        return created;
    }

    public bool TryGet(int handle, out QixObject? target) => _objects.TryGetValue(handle, out target);

    /// <summary>Releases a handle; the next response tells the client through its <c>close</c> member.</summary>
    public void Close(QixObject target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (_objects.Remove(target.Handle))
        {
            _closedHandles.Add(target.Handle);
        }
    }

    public IReadOnlyList<int> TakeClosedHandles()
    {
        if (_closedHandles.Count == 0)
        {
            return [];
        }

        int[] closed = [.. _closedHandles];
        _closedHandles.Clear();
        return closed;
    }

    private int NextHandle() => ++_lastHandle;
}
