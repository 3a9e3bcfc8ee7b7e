-- wrk_post.lua - wrk script for lattice-serve's load tests: POSTs one JSON body (the file named
-- by the first script argument) over keep-alive connections and prints one line
-- `WRK_RESULT {...}` with the throughput and the p50/p99/p99.9 latency (wrk --latency stops at
-- p99), and every error wrk counted. With a second argument `storm`, every answer is checked too
-- (wrk_checks.lua): used by the reload-storm and bad-bundle tests.
local checks = nil
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local file = assert(io.open(args[1], "rb"))
  wrk.method = "POST"
  wrk.body = file:read("*a")
  wrk.headers["Content-Type"] = "application/json"
  file:close()
end

function done(summary, latency, requests)
  local e = summary.errors
  local checked, bad, first_bad = 0, 0, ""
  for _, thread in ipairs(threads) do
    checked = checked + (thread:get("checked") or 0)
    bad = bad + (thread:get("bad") or 0)
    local example = thread:get("first_bad")
    if example and first_bad == "" then
      first_bad = example
    end
  end
  io.write(string.format(
    'WRK_RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, ' ..
    '"p999_us": %d, "max_us": %d, "connect_errors": %d, "read_errors": %d, ' ..
    '"write_errors": %d, "status_errors": %d, "timeouts": %d, "checked": %d, "bad": %d, ' ..
    '"first_bad": %q}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency:percentile(99.9), latency.max, e.connect, e.read, e.write, e.status, e.timeout,
    checked, bad, first_bad))
end
