-- Session lookups at scale: every request carries a different live session cookie, taken in
-- rotation from the file SessionScale wrote, so each one is a lookup in a store of that size.
--   wrk ... -s sessions.lua URL -- COOKIE_FILE COOKIE_NAME
local origin = "https://mashup.bench.test"
local values, name, i = {}, nil, 0

init = function(args)
  name = args[2]
  for line in io.lines(args[1]) do
    if #line > 0 then values[#values + 1] = line end
  end
  -- Threads start at different places so they do not walk the store in step.
  i = math.random(#values)
end

request = function()
  i = i % #values + 1
  return wrk.format("GET", wrk.path, { ["Origin"] = origin, ["Cookie"] = name .. "=" .. values[i] })
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'JSON {"count":%d,"durationSeconds":%.3f,"rate":%.1f,"p50Ms":%.3f,"p99Ms":%.3f,"errors":%d,"statusErrors":%d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.timeout + e.status, e.status))
end
