-- wrk script: POST one SST-2 dev sentence per request to /v1/models/<model>/predict, cycling through
-- the sentences of the file named by the environment variable SENTENCES (one sentence per line).
local sentences = {}
local i = 0

function init(args)
  for line in io.lines(os.getenv("SENTENCES")) do
    local s = line:gsub("\\", "\\\\"):gsub('"', '\\"')
    sentences[#sentences + 1] = '{"inputs":[{"text":"' .. s .. '"}]}'
  end
  i = math.random(#sentences)
end

function request()
  i = i % #sentences + 1
  return wrk.format("POST", "/v1/models/" .. (os.getenv("MODEL") or "sst2") .. "/predict",
    {["Content-Type"] = "application/json"}, sentences[i])
end

function done(summary, latency, requests)
  io.write(string.format("RESULT requests=%d errors_status=%d errors_other=%d seconds=%.2f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
    summary.requests, summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
