using Portico.DemoEngine.QlikServer;
using Portico.TestSupport;

namespace Portico.DemoEngine.Tests.QlikServer;

public sealed class QlikApiPackageTests : IDisposable
{
    private readonly string _scratch = Path.Combine(Path.GetTempPath(), "portico-qlik-api-" + Guid.NewGuid().ToString("N"));

    public static string InstalledPackage => Path.Combine(NodeClients.LocateClientsDirectory(), "node_modules", "@qlik", "api");

    public void Dispose()
    {
        if (Directory.Exists(_scratch))
        {
            Directory.Delete(_scratch, recursive: true);
        }
    }

    [Fact]
    public async Task Load_InstalledPackage_FindsTheRuntimeModulesFromItsOwnLoader()
    {
        await NodeClients.Shared.EnsureInstalledAsync();

        var package = QlikApiPackage.Load(InstalledPackage);

        Assert.Equal(QlikApiPackage.KnownVersion, package.Version);
        var modules = package.RuntimeModules.ToDictionary(m => m.Name);
        Assert.Equal(["auth@v1", "invoke-fetch@v1", "qix@v1"], modules.Keys.Order(StringComparer.Ordinal));
        Assert.Matches(@"^chunks/auth-[\w-]+\.js$", modules["auth@v1"].Path);
        Assert.Null(modules["auth@v1"].Export);
        Assert.Matches(@"^chunks/qix-[\w-]+\.js$", modules["qix@v1"].Path);
        Assert.Equal("t", modules["qix@v1"].Export);
        Assert.All(modules.Values, m => Assert.True(File.Exists(Path.Combine(package.Directory, m.Path)), m.Path));
    }

    [Fact]
    public async Task Load_InstalledPackage_ResolvesDependenciesLikeNode()
    {
        await NodeClients.Shared.EnsureInstalledAsync();

        var dependencies = QlikApiPackage.Load(InstalledPackage).Dependencies.ToDictionary(d => d.Name);

        Assert.True(dependencies["lodash-es"].IsEsModule);
        Assert.False(dependencies["extend"].IsEsModule);
        Assert.Equal("index.js", dependencies["extend"].Entry);
        Assert.Equal("enigma.js", dependencies["enigma.js"].Entry);
        // ws's own "browser" entry, which throws a clear error instead of needing Node's modules.
        Assert.Equal("browser.js", dependencies["ws"].Entry);
    }

    [Fact]
    public void Load_FolderWithoutPackageJson_NamesTheOptionAndTheFix()
    {
        Directory.CreateDirectory(_scratch);

        var error = Assert.ThrowsAny<ArgumentException>(() => QlikApiPackage.Load(_scratch));

        Assert.StartsWith("--qlik-api-package: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("has no package.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("npm install @qlik/api@" + QlikApiPackage.KnownVersion, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Load_EmptySetting_SaysWhatToGive(string directory)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => QlikApiPackage.Load(directory));

        Assert.StartsWith("--qlik-api-package: is empty; give the folder of an installed @qlik/api", error.Message, StringComparison.Ordinal);
        Assert.Equal("is empty; give the folder of an installed @qlik/api (e.g. node_modules/@qlik/api after `npm install @qlik/api@2.19.0`).", QlikApiPackage.Check(directory));
    }

    [Fact]
    public void Load_AnotherPackage_IsRefused()
    {
        WritePackageJson("""{ "name": "left-pad", "version": "1.3.0" }""");

        var error = Assert.ThrowsAny<ArgumentException>(() => QlikApiPackage.Load(_scratch));

        Assert.Contains("holds the package \"left-pad\", not @qlik/api", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_QlikApiWithAnotherLayout_SaysWhichVersionToInstall()
    {
        WritePackageJson("""{ "name": "@qlik/api", "version": "9.0.0" }""");
        Directory.CreateDirectory(Path.Combine(_scratch, "chunks"));

        var error = Assert.ThrowsAny<ArgumentException>(() => QlikApiPackage.Load(_scratch));

        Assert.Contains("@qlik/api 9.0.0 has 0 files chunks/public-runtime-modules-*.js", error.Message, StringComparison.Ordinal);
        Assert.Contains("install @qlik/api@" + QlikApiPackage.KnownVersion, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_LoaderThatNamesNoModules_IsRefused()
    {
        WritePackageJson("""{ "name": "@qlik/api", "version": "9.0.0" }""");
        Directory.CreateDirectory(Path.Combine(_scratch, "chunks"));
        File.WriteAllText(Path.Combine(_scratch, "chunks", "public-runtime-modules-abc.js"), "export {};\n");

        var error = Assert.ThrowsAny<ArgumentException>(() => QlikApiPackage.Load(_scratch));

        Assert.Contains("does not name the files of auth@v1, qix@v1, invoke-fetch@v1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_DependencyNotInstalled_SaysToInstallWithNpm()
    {
        await NodeClients.Shared.EnsureInstalledAsync();
        var package = Path.Combine(_scratch, "node_modules", "@qlik", "api");
        Directory.CreateDirectory(Path.Combine(package, "chunks"));
        File.WriteAllText(Path.Combine(package, "package.json"), """{ "name": "@qlik/api", "version": "2.19.0", "dependencies": { "extend": "3.0.2" } }""");
        File.Copy(
            Directory.GetFiles(Path.Combine(InstalledPackage, "chunks"), "public-runtime-modules-*.js").Single(),
            Path.Combine(package, "chunks", "public-runtime-modules-copy.js"));
        foreach (var module in QlikApiPackage.Load(InstalledPackage).RuntimeModules)
        {
            File.WriteAllText(Path.Combine(package, module.Path), "export {};\n");
        }

        var error = Assert.ThrowsAny<ArgumentException>(() => QlikApiPackage.Load(package));

        Assert.Contains("dependency \"extend\" is not installed next to it", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ReturnsTheProblemWithoutTheOptionName()
    {
        Directory.CreateDirectory(_scratch);

        var problem = QlikApiPackage.Check(_scratch);

        Assert.NotNull(problem);
        Assert.StartsWith($"\"{_scratch}\" has no package.json", problem, StringComparison.Ordinal);
    }

    private void WritePackageJson(string json)
    {
        Directory.CreateDirectory(_scratch);
        File.WriteAllText(Path.Combine(_scratch, "package.json"), json);
    }
}
