using Portico.DemoEngine.Identity;

namespace Portico.DemoEngine.Apps;

/// <summary>The apps the engine serves. Lookups ignore case, as document names on a Qlik Sense Desktop do.</summary>
internal sealed class AppCatalog
{
    public AppCatalog(IEnumerable<DemoApp> apps)
    {
        Apps = [.. apps];
    }

    public static AppCatalog BuiltIn { get; } = new([SalesDemoApp.Create(), OperationsApp.Create()]);

    public IReadOnlyList<DemoApp> Apps { get; }

    public DemoApp? Find(string id) =>
        Apps.FirstOrDefault(app => string.Equals(app.Id, id, StringComparison.OrdinalIgnoreCase));

    public IEnumerable<DemoApp> VisibleTo(QlikUser user) => Apps.Where(app => app.IsVisibleTo(user));
}
