-- wrk's side of http-load.mjs --client wrk: POST /api/search with every body distinct, as the autocannon client
-- does (each query of the mix plus as many trailing spaces as full passes over the mix so far; search trims
-- them, so a response cache never answers), and `MG_ROUND` escaped tabs before each query. The mix is one JSON
-- string literal per line in MG_QUERIES_LINES (written by http-load.mjs). Prints one JSON line when done.
local queries = {}
for line in io.lines(os.getenv("MG_QUERIES_LINES")) do
  queries[#queries + 1] = line:sub(2, -2) -- the literal without its quotes, still JSON-escaped
end
local prefix = string.rep("\\t", tonumber(os.getenv("MG_ROUND") or "0"))
local repeat_mix = os.getenv("MG_REPEAT") == "1"
local headers = { ["Content-Type"] = "application/json" }
local n = 0

request = function()
  local i = n
  n = n + 1
  local spaces = repeat_mix and "" or string.rep(" ", math.floor(i / #queries))
  local body = '{"query":"' .. prefix .. queries[(i % #queries) + 1] .. spaces .. '","limit":10}'
  return wrk.format("POST", "/api/search", headers, body)
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"status_errors":%d,"socket_errors":%d,"p50_us":%d,"p95_us":%d,"p97_5_us":%d,"p99_us":%d}\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(97.5), latency:percentile(99)))
end
