namespace Portico.Configuration.Rules;

/// <summary>
/// The QRS bookkeeping of each virtual proxy (docs/admin-api.md): ids are GUIDs and unique, and a
/// field Portico applies is never parked among the Qlik fields it keeps without applying.
/// </summary>
internal sealed class QrsEntityRules : IConfigRule
{
    public void Check(PorticoConfig config, ConfigErrors errors)
    {
        var ids = new Dictionary<Guid, int>();
        var applied = ConfigJson.Options.GetTypeInfo(typeof(VirtualProxyConfig)).Properties.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < config.VirtualProxies.Count; i++)
        {
            var vp = config.VirtualProxies[i];
            if (vp is null)
            {
                continue;
            }

            var path = $"virtualProxies[{i}]";
            if (vp.Id is { } id)
            {
                if (!Guid.TryParse(id, out var guid))
                {
                    errors.Add($"{path}.id", $"\"{id}\" is not a GUID; write one such as \"{Guid.Empty:D}\" with your own digits, or remove the field so Portico derives one");
                }
                else if (!ids.TryAdd(guid, i))
                {
                    errors.Add($"{path}.id", $"\"{id}\" is already the id of virtualProxies[{ids[guid]}]; ids must be unique");
                }
            }

            foreach (var name in vp.QlikFieldsNotApplied?.Keys ?? [])
            {
                if (applied.Contains(name))
                {
                    errors.Add($"{path}.qlikFieldsNotApplied.{name}", $"is a field Portico applies; move it out of qlikFieldsNotApplied into the virtual proxy itself");
                }
            }
        }
    }
}
