-- wrk script for the benchmark: POSTs BENCH_BODY (with BENCH_TOKEN as the bearer token, if set)
-- and, when done, prints machine-readable lines for bench/java/Bench.java:
--   BENCH requests=… duration_us=… connect=… read=… write=… status=… timeout=…
--   HIST <latency µs> <count>   (the whole latency histogram, so runs can be merged exactly)
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["Content-Type"] = "application/json"
local token = os.getenv("BENCH_TOKEN")
if token ~= nil and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH requests=%d duration_us=%d connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout))
  for i = 1, #latency do
    local value, count = latency(i)
    io.write(string.format("HIST %d %d\n", value, count))
  end
end
