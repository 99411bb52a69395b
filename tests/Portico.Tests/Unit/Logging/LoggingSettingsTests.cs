using System.Collections;
using Portico.Configuration;
using Portico.Logging;
using Portico.Tests.Unit.Configuration;

namespace Portico.Tests.Unit.Logging;

/// <summary>The logging section, environment overrides, and the levels they give each category.</summary>
public sealed class LoggingSettingsTests
{
    [Fact]
    public void Config_InvalidFormatAndLevel_AreErrorsNamingTheFieldAndTheValidValues()
    {
        var result = ConfigLoader.Parse("""
            { "logging": { "format": "xml", "levels": { "Portico.Forwarding": "Verbose", "Default": "2", "": "Debug" } } }
            """, ConfigAssert.NonExistentBaseDirectory());

        ConfigAssert.HasError(result.Errors, "logging.format", "\"xml\" is not a log format; use \"plain\" or \"json\"");
        ConfigAssert.HasError(result.Errors, "logging.levels.Portico.Forwarding", "\"Verbose\" is not a log level; use one of Trace, Debug, Information, Warning, Error, Critical or None");
        ConfigAssert.HasError(result.Errors, "logging.levels.Default", "\"2\" is not a log level");
        ConfigAssert.HasError(result.Errors, "logging.levels[\"\"]", "category name is empty");
    }

    [Fact]
    public void Config_ValidSection_IsAccepted_InAnyCaseOfLevel()
    {
        var result = ConfigLoader.Parse("""
            { "logging": { "format": "json", "timestamps": false, "levels": { "Default": "warning", "Portico.Sessions": "DEBUG" }, "accessLog": { "enabled": false } },
              "virtualProxies": [ { "prefix": "", "loadBalancingServerNodes": [ "http://127.0.0.1:4747" ] } ] }
            """, ConfigAssert.NonExistentBaseDirectory());

        ConfigAssert.IsValid(result);
        Assert.False(result.Config!.Logging.AccessLog.Enabled);
    }

    [Fact]
    public void Environment_ReadsLogLevelVariables_AndReportsBadOnesByName()
    {
        var environment = LoggingEnvironment.Read(new Hashtable
        {
            ["Logging__LogLevel__Portico.Sessions"] = "Debug",
            ["LOGGING__LOGLEVEL__Default"] = "Warning",
            ["Logging:LogLevel:Yarp"] = "Information",
            ["Logging__LogLevel__Portico.Access"] = "Loud",
            ["Logging__Console__FormatterName"] = "json",
            ["PATH"] = "/usr/bin",
        });

        Assert.Equal(
            [new LogLevelSetting("Default", LogLevel.Warning), new LogLevelSetting("Portico.Sessions", LogLevel.Debug), new LogLevelSetting("Yarp", LogLevel.Information)],
            environment.Levels.OrderBy(l => l.Category, StringComparer.Ordinal));
        var error = Assert.Single(environment.Errors);
        Assert.Equal("Logging__LogLevel__Portico.Access (environment variable)", error.Path);
        Assert.Contains("\"Loud\" is not a log level; use one of Trace, Debug", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reload_FormatOrLevelsChanged_NeedsARestart_AccessLogSwitchDoesNot()
    {
        var running = new PorticoConfig { Logging = new LoggingConfig { Levels = new Dictionary<string, string> { ["Portico"] = "Debug" } } };

        Assert.Contains("logging", ConfigReloader.RestartOnlyChanges(running, running with { Logging = running.Logging with { Format = LogFormats.Json } }));
        Assert.Contains("logging", ConfigReloader.RestartOnlyChanges(running, running with { Logging = running.Logging with { Levels = new Dictionary<string, string> { ["Portico"] = "Warning" } } }));
        Assert.DoesNotContain("logging", ConfigReloader.RestartOnlyChanges(running, running with
        {
            Logging = running.Logging with { Levels = new Dictionary<string, string> { ["Portico"] = "Debug" }, AccessLog = new AccessLogConfig { Enabled = false } },
        }));
    }

    [Theory]
    [InlineData("Portico Sessions")]
    [InlineData("Portico\u202ESessions")]
    [InlineData("Portico\\\\Sessions")]
    public void Config_CategoryWithSpacesOrInvisibleCharacters_IsAnError(string category)
    {
        var result = ConfigLoader.Parse($$"""{ "logging": { "levels": { "{{category}}": "Debug" } } }""", ConfigAssert.NonExistentBaseDirectory());

        Assert.Contains(result.Errors, e => e.Path.StartsWith("logging.levels[", StringComparison.Ordinal) && e.Message.Contains("invisible characters", StringComparison.Ordinal));
    }

    [Theory]
    // Built in: Information by default, Microsoft.AspNetCore and YARP quieter.
    [InlineData(null, null, "Portico.Sessions", LogLevel.Information)]
    [InlineData(null, null, "Portico.Access", LogLevel.Information)]
    [InlineData(null, null, "Microsoft.AspNetCore.Server.Kestrel", LogLevel.Warning)]
    [InlineData(null, null, "Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None)]
    [InlineData(null, null, "Yarp.ReverseProxy.Forwarder.HttpForwarder", LogLevel.Error)]
    // The file overrides the built-in levels, the most specific category deciding.
    [InlineData("Portico.Sessions=Debug", null, "Portico.Sessions", LogLevel.Debug)]
    [InlineData("Portico=Warning", null, "Portico.Sessions", LogLevel.Warning)]
    [InlineData("Default=Error", null, "Portico.Sessions", LogLevel.Error)]
    [InlineData("Default=Error", null, "Yarp.ReverseProxy.Forwarder", LogLevel.Error)]
    [InlineData("Yarp.ReverseProxy.Forwarder=Debug", null, "Yarp.ReverseProxy.Forwarder", LogLevel.Debug)]
    [InlineData("Portico.Access=None", null, "Portico.Access", LogLevel.None)]
    // The environment overrides the file.
    [InlineData("Portico.Sessions=Debug", "Portico.Sessions=Warning", "Portico.Sessions", LogLevel.Warning)]
    [InlineData("Default=Error", "Default=Debug", "Portico.Sessions", LogLevel.Debug)]
    [InlineData("Portico.Sessions=Debug", "Portico=Error", "Portico.Sessions", LogLevel.Debug)]
    public void Levels_BuiltInThenFileThenEnvironment(string? file, string? environment, string category, LogLevel lowestEnabled)
    {
        var config = new LoggingConfig { Levels = Pairs(file).ToDictionary(p => p.Key, p => p.Value) };
        var variables = new Hashtable();
        foreach (var (name, value) in Pairs(environment))
        {
            variables["Logging__LogLevel__" + name] = value;
        }

        var services = new ServiceCollection();
        services.AddLogging(logging =>
        {
            PorticoLogging.Configure(logging, config, LoggingEnvironment.Read(variables));
            logging.ClearProviders();
            logging.AddProvider(new Support.TestLogSink());
        });
        using var provider = services.BuildServiceProvider();
        var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger(category);

        var enabled = Enum.GetValues<LogLevel>().Where(l => l != LogLevel.None && logger.IsEnabled(l)).ToList();
        Assert.Equal(lowestEnabled == LogLevel.None ? [] : Enum.GetValues<LogLevel>().Where(l => l >= lowestEnabled && l != LogLevel.None).ToList(), enabled);
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("json")]
    public void Configure_WritesThroughTheBatchedConsole_WithAspNetCoresFormatterOfTheFormat(string format)
    {
        var config = new LoggingConfig { Format = format };
        var services = new ServiceCollection();
        services.AddLogging(logging => PorticoLogging.Configure(logging, config, LoggingEnvironment.Read(new Hashtable())));
        using var provider = services.BuildServiceProvider();

        var loggers = provider.GetServices<ILoggerProvider>().ToList();
        Assert.Single(loggers, p => p is BatchedConsoleLoggerProvider);
        Assert.DoesNotContain(loggers, p => p is Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider);
        Assert.Equal(format == "json" ? "json" : "simple", provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>>().Value.FormatterName);
    }

    private static IEnumerable<KeyValuePair<string, string>> Pairs(string? text) =>
        text is null ? [] : text.Split(',').Select(p => p.Split('=')).Select(p => new KeyValuePair<string, string>(p[0], p[1]));
}
