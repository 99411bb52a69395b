namespace Portico.ResponseHeaders;

internal sealed record HeaderLineError(int LineNumber, string Message)
{
    public override string ToString() => $"line {LineNumber}: {Message}";
}
