namespace Portico.ResponseHeaders;

/// <summary>The parsed additional response headers of one virtual proxy: the lines that are valid and every error.</summary>
internal sealed record AdditionalHeaders(IReadOnlyList<HeaderLine> Lines, IReadOnlyList<HeaderLineError> Errors)
{
    public bool IsValid => Errors.Count == 0;
}
