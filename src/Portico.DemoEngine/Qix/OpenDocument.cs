using Portico.DemoEngine.Apps;

namespace Portico.DemoEngine.Qix;

/// <summary>An app opened on a connection (handle type <c>Doc</c>).</summary>
internal sealed class OpenDocument : QixObject
{
    public OpenDocument(int handle, DemoApp app)
        : base(handle, "Doc", "Doc", app?.Id ?? throw new ArgumentNullException(nameof(app)))
    {
        App = app;
    }

    public DemoApp App { get; }
}
