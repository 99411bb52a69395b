using System.Text.Json;
using Portico.Bench.SessionScale;
using Portico.Bench.Shared;

// Session scale, measured from outside: fill Portico's in-memory session store with anonymous
// logins, read Portico's VmRSS before and after, and leave the cookies for bench/run, whose wrk
// script then looks the sessions up in rotation.
ScaleOptions options;
try
{
    options = ScaleOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException or UriFormatException)
{
    Console.Error.WriteLine($"SessionScale: {ex.Message}");
    Console.Error.WriteLine(ScaleOptions.Usage);
    return 2;
}

using var http = new HttpClient(LoopbackHandler.Create(options.Parallel)) { Timeout = TimeSpan.FromSeconds(30) };
var rssBefore = ProcessMemory.RssKb(options.MeasurePid);
var fill = await new SessionFiller(http, options).FillAsync();
await Task.Delay(TimeSpan.FromSeconds(options.SettleSeconds));
var rssAfter = ProcessMemory.RssKb(options.MeasurePid);
await File.WriteAllLinesAsync(options.OutFile, fill.Cookies);

var (firstTenth, lastTenth) = fill.TenthRates();
var result = new
{
    requested = options.Sessions,
    created = fill.Cookies.Count,
    failed = fill.Failed,
    firstError = fill.FirstError,
    seconds = fill.Seconds,
    rate = fill.Cookies.Count / Math.Max(1e-9, fill.Seconds),
    rateFirstTenth = firstTenth,
    rateLastTenth = lastTenth,
    rssBeforeKb = rssBefore,
    rssAfterKb = rssAfter,
    // The slope is the figure to quote; the plain difference also carries start-up and GC headroom.
    bytesPerSession = fill.SlopeBytesPerSession(),
    bytesPerSessionBeforeAfter = fill.Cookies.Count == 0 ? 0 : (rssAfter - rssBefore) * 1024.0 / fill.Cookies.Count,
    rssSamples = fill.RssSamples.Select(s => new { sessions = s.Sessions, rssKb = s.RssKb }),
};
Console.WriteLine(JsonSerializer.Serialize(result));
return fill.Cookies.Count > 0 ? 0 : 1;
