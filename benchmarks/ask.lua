-- wrk script: POST /api/ask with the questions of a file (one JSON request body per line), in turn.
-- Usage: wrk -t2 -c8 -d15s -s benchmarks/ask.lua http://127.0.0.1:8000 -- bodies.jsonl
-- done() prints one line "WRK_JSON {...}" that benchmarks/bench.py reads.

local bodies = {}
local next_body = 0
local headers = { ["Content-Type"] = "application/json" }

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then
      bodies[#bodies + 1] = line
    end
  end
end

function setup(thread)
  -- Threads start at different questions, so that they don't ask the same one in step.
  thread:set("first", math.random(1000))
end

function request()
  if next_body == 0 then
    next_body = first or 0
  end
  next_body = next_body % #bodies + 1
  return wrk.format("POST", "/api/ask", headers, bodies[next_body])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "connect_errors": %d, "read_errors": %d, '
      .. '"write_errors": %d, "non_2xx": %d, "timeouts": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, '
      .. '"max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max, latency.mean
  ))
end
