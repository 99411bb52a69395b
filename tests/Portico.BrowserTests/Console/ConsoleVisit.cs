using Microsoft.Playwright;

namespace Portico.BrowserTests.Console;

/// <summary>
/// One person's browser on the console: a fresh context and page, with every script error and
/// console error (a CSP violation is one) kept, so a test can prove the page ran cleanly.
/// </summary>
internal sealed class ConsoleVisit : IAsyncDisposable
{
    private readonly List<string> _errors = [];

    private ConsoleVisit(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (_errors)
                {
                    _errors.Add(message.Text);
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (_errors)
            {
                _errors.Add(error);
            }
        };
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>Script errors and console errors so far (CSP violations, failed module loads, uncaught exceptions).</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_errors)
            {
                return [.. _errors];
            }
        }
    }

    public static async Task<ConsoleVisit> OpenAsync(ConsoleEnvironment environment)
    {
        var context = await environment.NewContextAsync();
        context.SetDefaultTimeout(15_000);
        return new ConsoleVisit(context, await context.NewPageAsync());
    }

    /// <summary>Errors other than the failed loads a refusal is expected to log (a 401 or 403 the test asked for).</summary>
    public IReadOnlyList<string> UnexpectedErrors(params string[] expected) =>
        [.. Errors.Where(e => !expected.Any(x => e.Contains(x, StringComparison.OrdinalIgnoreCase)))];

    public ValueTask DisposeAsync() => new(Context.CloseAsync());
}
