using Portico.WebConsole;

namespace Portico.Tests.Unit.WebConsole;

/// <summary>The console's static files come from the assembly, with their content types.</summary>
public sealed class ConsoleFilesTests
{
    private static readonly ConsoleFiles Files = new();

    [Theory]
    [InlineData("")]
    [InlineData("index.html")]
    public void Find_TheFolderOrIndex_IsTheEmbeddedIndexAsUtf8Html(string path)
    {
        var index = Files.Find(path);

        Assert.NotNull(index);
        Assert.Equal("text/html; charset=utf-8", index.ContentType);
        Assert.Contains("<html", System.Text.Encoding.UTF8.GetString(index.Content), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("nothing.js")]
    [InlineData("../Portico.dll")]
    [InlineData("Index.html")]
    [InlineData("/index.html")]
    public void Find_AnythingElse_IsNothing(string path)
    {
        Assert.Null(Files.Find(path));
    }
}
