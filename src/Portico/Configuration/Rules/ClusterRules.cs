using System.Text.RegularExpressions;
using Npgsql;

namespace Portico.Configuration.Rules;

/// <summary>The cluster section: a node name, a usable Npgsql connection string, sane timings.</summary>
internal sealed partial class ClusterRules : IConfigRule
{
    public void Check(PorticoConfig config, ConfigErrors errors)
    {
        if (config.Cluster is not { } cluster)
        {
            return;
        }

        if (!NodeNamePattern().IsMatch(cluster.NodeName ?? ""))
        {
            errors.Add("cluster.nodeName", "must name this node, unique in the cluster: 1-64 characters of A-Z a-z 0-9 . _ -, e.g. \"portico-1\"");
        }

        CheckConnectionString(cluster.Postgres, errors);

        if (cluster.DatabaseGraceSeconds is < 0 or > 86_400)
        {
            errors.Add("cluster.databaseGraceSeconds", "must be between 0 (stop serving cached sessions at once) and 86400 seconds");
        }

        if (cluster.ActivityFlushSeconds is < 1 or > 60)
        {
            errors.Add("cluster.activityFlushSeconds", "must be between 1 and 60 seconds");
        }

        if (cluster.ChangePollSeconds is < 1 or > 60)
        {
            errors.Add("cluster.changePollSeconds", "must be between 1 and 60 seconds");
        }
    }

    private static void CheckConnectionString(string? value, ConfigErrors errors)
    {
        const string Example = "e.g. \"Host=db.example.com;Database=portico;Username=portico\" (the password from PGPASSWORD or a password file)";
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add("cluster.postgres", "must be an Npgsql connection string, " + Example);
            return;
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(value);
        }
        catch (ArgumentException ex)
        {
            // The message names the bad keyword, never a value.
            errors.Add("cluster.postgres", $"is not a valid Npgsql connection string ({ex.Message}); write it as {Example}");
            return;
        }

        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            errors.Add("cluster.postgres", "names no Host; add Host=<server> (a host name, an IP address or a socket directory)");
        }

        if (string.IsNullOrWhiteSpace(builder.Database))
        {
            errors.Add("cluster.postgres", "names no Database; add Database=<name> (create it first, see README \"Running several nodes\")");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex NodeNamePattern();
}
