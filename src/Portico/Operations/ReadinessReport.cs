using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portico.Operations;

/// <summary>The body of GET /readyz (docs/operations.md).</summary>
/// <param name="Status">"ready" or "not_ready".</param>
/// <param name="Failed">The names of the checks that failed; empty when ready.</param>
internal sealed record ReadinessReport(string Status, IReadOnlyList<ReadinessCheckResult> Checks, IReadOnlyList<string> Failed)
{
    [JsonIgnore]
    public bool Ready => Failed.Count == 0;
}

internal sealed record ReadinessCheckResult(string Name, bool Ok, string Detail)
{
    /// <summary>Only on an engine check: the virtual proxy it is about.</summary>
    public string? VirtualProxy { get; init; }

    /// <summary>Only on an engine check: each node and its health.</summary>
    public IReadOnlyList<ReadinessNode>? Nodes { get; init; }
}

internal sealed record ReadinessNode(string Node, string Address, string Health);

/// <summary>The body of GET /healthz.</summary>
internal sealed record LivenessBody(string Status);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ReadinessReport))]
[JsonSerializable(typeof(LivenessBody))]
internal sealed partial class OperationsJsonContext : JsonSerializerContext;
