-- Logins: every request goes without a cookie, so every 200 is a new (anonymous) session that
-- Portico wrote through to its store. done() prints one JSON line, as http.lua does.
local req = nil

request = function()
  if not req then req = wrk.format("GET", wrk.path, { ["Origin"] = "https://mashup.bench.test" }) end
  return req
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'JSON {"count":%d,"durationSeconds":%.3f,"rate":%.1f,"p50Ms":%.3f,"p99Ms":%.3f,"errors":%d,"statusErrors":%d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.timeout + e.status, e.status))
end
