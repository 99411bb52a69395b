using Portico.Configuration;
using Portico.Configuration.Rules;

namespace Portico.Tests.Unit.Audit;

public sealed class AuditRulesTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "portico-tests", Guid.NewGuid().ToString("n"));

    public AuditRulesTests() => Directory.CreateDirectory(_directory);

    [Fact]
    public void Check_Defaults_AreValid_AndWriteNothing()
    {
        Assert.Empty(Errors(new AuditConfig()));
        Assert.Empty(Directory.GetFileSystemEntries(_directory));
    }

    [Fact]
    public void Check_EnabledWithWritableFile_IsValid_PathRelativeToTheConfigFolder()
    {
        Assert.Empty(Errors(new AuditConfig { Enabled = true, File = "audit/portico-audit.jsonl" }));
        Assert.True(File.Exists(Path.Combine(_directory, "audit", "portico-audit.jsonl")));
    }

    [Fact]
    public void Check_UnwritablePath_IsRejectedNamingTheFieldAndPath()
    {
        File.WriteAllText(Path.Combine(_directory, "not-a-folder"), "");

        var error = Assert.Single(Errors(new AuditConfig { Enabled = true, File = "not-a-folder/audit.jsonl" }));

        Assert.Equal("audit.file", error.Path);
        Assert.Contains(Path.Combine(_directory, "not-a-folder", "audit.jsonl"), error.Message, StringComparison.Ordinal);
        Assert.Contains("cannot write", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_EveryProblem_IsReportedAtOnce()
    {
        var errors = Errors(new AuditConfig { Enabled = true, File = null, Stdout = false, MaxFiles = 1, MaxFileBytes = 100 });

        Assert.Equal(["audit.maxFileBytes", "audit.maxFiles", "audit"], errors.Select(e => e.Path));
    }

    [Fact]
    public void Parse_AuditSection_IsReadFromJson()
    {
        var result = ConfigLoader.Parse("""{ "audit": { "enabled": true, "file": null, "stdout": true, "maxFileBytes": 8192, "maxFiles": 3 }, "virtualProxies": [ { "prefix": "", "loadBalancingServerNodes": ["http://127.0.0.1:4747"] } ] }""", _directory);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(new AuditConfig { Enabled = true, File = null, Stdout = true, MaxFileBytes = 8192, MaxFiles = 3 }, result.Config!.Audit);
    }

    private List<ConfigError> Errors(AuditConfig audit)
    {
        var errors = new ConfigErrors();
        new AuditRules(_directory).Check(new PorticoConfig { Audit = audit }, errors);
        return [.. errors.All];
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
