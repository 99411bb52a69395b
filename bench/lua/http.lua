-- What a page of a mashup sends: an Origin header on every request and the cookies its first
-- answer gave it (Portico's session cookie; other targets set none). Any Set-Cookie is learned,
-- one name at a time (wrk keeps only the last header of a name).
-- wrk keeps one Lua state per thread, not per connection, so the cookies are learned per thread:
-- until the first answer arrives, each connection's first request goes without a cookie.
-- done() prints one JSON line for bench/run.
local origin = "https://mashup.bench.test"
local cookies, names = {}, {}
local req = nil

local function build()
  local headers = { ["Origin"] = origin }
  if #names > 0 then
    local pairs_ = {}
    for _, name in ipairs(names) do pairs_[#pairs_ + 1] = name .. "=" .. cookies[name] end
    headers["Cookie"] = table.concat(pairs_, "; ")
  end
  req = wrk.format("GET", wrk.path, headers)
end

request = function()
  if not req then build() end
  return req
end

response = function(status, headers, body)
  local set = headers["Set-Cookie"] or headers["set-cookie"]
  if not set then return end
  local name, value = set:match("^%s*([^=;%s]+)=([^;]*)")
  if name and cookies[name] ~= value then
    if not cookies[name] then names[#names + 1] = name end
    cookies[name] = value
    req = nil
  end
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'JSON {"count":%d,"durationSeconds":%.3f,"rate":%.1f,"p50Ms":%.3f,"p99Ms":%.3f,"errors":%d,"statusErrors":%d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.timeout + e.status, e.status))
end
