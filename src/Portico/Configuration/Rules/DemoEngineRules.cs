using Portico.DemoEngine.QlikServer;

namespace Portico.Configuration.Rules;

internal sealed class DemoEngineRules(string baseDirectory) : IConfigRule
{
    public void Check(PorticoConfig config, ConfigErrors errors)
    {
        if (config.DemoEngine.Enabled && !EngineUrl.IsValid(config.DemoEngine.Url))
        {
            errors.Add("demoEngine.url", $"\"{config.DemoEngine.Url}\" is not an engine URL; write e.g. \"http://127.0.0.1:4747\"");
        }

        if (config.DemoEngine.Enabled && config.DemoEngine.QlikApiPackage is { } package
            && QlikApiPackage.Check(Path.GetFullPath(package, baseDirectory)) is { } problem)
        {
            errors.Add("demoEngine.qlikApiPackage", problem);
        }
    }
}
