using Portico.DemoEngine.Identity;

namespace Portico.DemoEngine.Apps;

/// <summary>A built-in app. Its id doubles as its document name, as in Qlik Sense Desktop ("Sales Demo.qvf").</summary>
internal sealed record DemoApp(
    string Id,
    string Title,
    string Description,
    AppAudience Audience,
    DateTimeOffset LastReloadTime,
    DataTable Table)
{
    public bool IsVisibleTo(QlikUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return Audience switch
        {
            AppAudience.Everyone => true,
            AppAudience.DirectoryUsers => !user.IsAnonymous,
            _ => false,
        };
    }
}
