namespace Portico.TestSupport;

/// <summary>The hypercube the <see cref="EnigmaSteps.HyperCube"/> step asks for; the script defaults to Region / Sum(Sales).</summary>
/// <param name="Dimensions">Field names, one per dimension.</param>
/// <param name="Measures">Measure expressions such as <c>Sum(Sales)</c>.</param>
/// <param name="Rows">How many rows to fetch.</param>
public sealed record EnigmaHyperCubeRequest(IReadOnlyList<string> Dimensions, IReadOnlyList<string> Measures, int Rows = 100);
