using Portico.DemoEngine.Apps;
using Portico.DemoEngine.JsonRpc;

namespace Portico.DemoEngine.Qix;

/// <summary>Everything a method handler may look at: the connection it runs on, the apps, and its arguments.</summary>
internal sealed record QixCall(QixConnection Connection, AppCatalog Catalog, RpcParams Params);
