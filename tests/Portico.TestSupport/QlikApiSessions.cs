using System.Text.Json.Nodes;

namespace Portico.TestSupport;

/// <summary>Runs the unmodified @qlik/api from <c>tests/clients</c> under node.</summary>
public static class QlikApiSessions
{
    /// <summary>The node script that opens an app with @qlik/api.</summary>
    public const string Script = "qlik-api-session.mjs";

    /// <summary>
    /// Opens the app, reads its layout and a hypercube. Failures of the client come back as a result
    /// with <see cref="QlikApiRunResult.Ok"/> false; an exception means the script could not run.
    /// </summary>
    public static async Task<QlikApiRunResult> RunQlikApiAsync(this NodeClients clients, QlikApiRunRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(request);
        var input = new JsonObject
        {
            ["host"] = request.Host,
            ["appId"] = request.AppId,
            ["autoResume"] = request.AutoResume,
            ["timeoutMs"] = request.TimeoutMs,
            ["hyperCube"] = new JsonObject
            {
                ["dimensions"] = new JsonArray([.. request.HyperCube.Dimensions.Select(d => JsonValue.Create(d))]),
                ["measures"] = new JsonArray([.. request.HyperCube.Measures.Select(m => JsonValue.Create(m))]),
                ["rows"] = request.HyperCube.Rows,
            },
        };
        if (request.AuthType is not null)
        {
            input["authType"] = request.AuthType;
        }

        if (request.Jwt is not null)
        {
            input["jwt"] = request.Jwt;
        }

        var environment = request.CaFile is null
            ? null
            : new Dictionary<string, string> { ["NODE_EXTRA_CA_CERTS"] = Path.GetFullPath(request.CaFile) };
        var output = await clients.RunScriptAsync(Script, input.ToJsonString(), TimeSpan.FromMilliseconds(request.TimeoutMs), environment, cancellationToken).ConfigureAwait(false);
        return QlikApiRunResult.Parse(output);
    }
}
