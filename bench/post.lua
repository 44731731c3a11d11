-- wrk script: POST a JSON body and print one machine-readable summary line.
--   WRK_BODY        request body (default: one iris row)
--   WRK_TOKEN_FILE  file holding a token (first line); every request then carries "Authorization: Bearer <token>".
--                   The file's path, not the token, so the token is in no process's arguments or environment.
-- Used by bench/run.sh:  WRK_BODY='{"inputs":[5.1,3.5,1.4,0.2]}' wrk -t2 -c50 -d15s --latency -s bench/post.lua URL
wrk.method = "POST"
wrk.body = os.getenv("WRK_BODY") or '{"inputs":[5.1,3.5,1.4,0.2]}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"

local token_file = os.getenv("WRK_TOKEN_FILE")
if token_file and token_file ~= "" then
  local f, err = io.open(token_file, "r")
  if not f then
    error("WRK_TOKEN_FILE: cannot read " .. tostring(err))
  end
  local token = (f:read("*l") or ""):match("^%s*(.-)%s*$")
  f:close()
  if token == "" then
    error("WRK_TOKEN_FILE " .. token_file .. " is empty")
  end
  wrk.headers["Authorization"] = "Bearer " .. token
end

-- summary.duration and latency values are in microseconds; errors.status counts answers that are not 2xx/3xx
function done(summary, latency, requests)
  local e = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format(
    "BENCH_RESULT requests=%d duration_us=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d mean_us=%.1f max_us=%d " ..
    "status_errors=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d\n",
    summary.requests, summary.duration, summary.requests / secs,
    math.floor(latency:percentile(50)), math.floor(latency:percentile(90)), math.floor(latency:percentile(99)),
    latency.mean, math.floor(latency.max),
    e.status, e.connect, e.read, e.write, e.timeout))
end
