-- The anonymous flood: every request goes without a cookie, like a client that never sends back
-- what it was given, so every request Portico answers with 200 made a new anonymous session.
-- Answers are counted per status and per wall-clock second (Unix time), so bench/run can line
-- them up with its per-second samples of Portico's live sessions and memory.
-- done() prints one JSON line for bench/run:
--   count, durationSeconds, rate, p50Ms, p99Ms, errors (socket errors and timeouts),
--   statuses {"200": n, "503": n, ...}, perSecond [[unixSecond, n200, n503, nOther], ...]
local origin = "https://mashup.bench.test"
local req = nil
-- Flat numeric keys (second * 1000 + status): wrk copies this table from the thread's Lua state
-- into done()'s, and a flat table is the cheapest thing to count into on every response.
counts = {}
local threads = {}

setup = function(thread)
  threads[#threads + 1] = thread
end

request = function()
  if not req then req = wrk.format("GET", wrk.path, { ["Origin"] = origin }) end
  return req
end

response = function(status, headers, body)
  local key = os.time() * 1000 + status
  counts[key] = (counts[key] or 0) + 1
end

done = function(summary, latency, requests)
  local seconds, bySecond, statuses = {}, {}, {}
  for _, thread in ipairs(threads) do
    for key, n in pairs(thread:get("counts")) do
      local second, status = math.floor(key / 1000), key % 1000
      if not bySecond[second] then
        bySecond[second] = { 0, 0, 0 }
        seconds[#seconds + 1] = second
      end
      local row = bySecond[second]
      if status == 200 then row[1] = row[1] + n elseif status == 503 then row[2] = row[2] + n else row[3] = row[3] + n end
      statuses[status] = (statuses[status] or 0) + n
    end
  end
  table.sort(seconds)
  local series = {}
  for _, second in ipairs(seconds) do
    local row = bySecond[second]
    series[#series + 1] = string.format("[%d,%d,%d,%d]", second, row[1], row[2], row[3])
  end
  local byStatus = {}
  for status, n in pairs(statuses) do byStatus[#byStatus + 1] = string.format('"%d":%d', status, n) end
  table.sort(byStatus)
  local e = summary.errors
  io.write(string.format(
    'JSON {"count":%d,"durationSeconds":%.3f,"rate":%.1f,"p50Ms":%.3f,"p99Ms":%.3f,"errors":%d,"statuses":{%s},"perSecond":[%s]}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.timeout, table.concat(byStatus, ","), table.concat(series, ",")))
end
