namespace Portico.DemoEngine.HyperCubes;

/// <summary>One cell of the computed hypercube; <see cref="State"/> is Qlik's selection state ('O' optional, 'L' locked).</summary>
internal sealed record HyperCubeCell(string Text, double? Number, int ElemNumber, char State, bool IsNull = false)
{
    /// <summary>Qlik renders null as "-" and marks it with element number -2.</summary>
    public static HyperCubeCell Null(char state) => new("-", null, -2, state, IsNull: true);
}
