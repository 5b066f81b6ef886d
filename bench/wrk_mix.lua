-- wrk script for bench/bench_pages.py (`make bench-load`): each connection cycles through the
-- paths given after `--` (a mix of search, meeting and councillor pages, plus home and
-- committee), each thread starting at a different place. Errors = wrk's socket errors
-- (connect, read, write, timeout) + responses that are not 2xx/3xx, counted in response(), which
-- also counts the answers the page cache served (X-Page-Cache: hit).
-- done() prints one line: WRK_JSON {...} (latencies in milliseconds).
--   wrk -t2 -c50 -d60s --latency -s bench/wrk_mix.lua http://127.0.0.1:PORT -- /a /b ...

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for _, path in ipairs(args) do
    table.insert(paths, path)
  end
  if #paths == 0 then
    paths = { "/" }
  end
  turn = (id * 7) % #paths
  bad_status = 0
  hits = 0
  by_status = {}
end

function request()
  turn = turn % #paths + 1
  return wrk.format("GET", paths[turn])
end

function response(status, headers, body)
  by_status[status] = (by_status[status] or 0) + 1
  if status >= 400 then
    bad_status = bad_status + 1
  end
  if headers["X-Page-Cache"] == "hit" then
    hits = hits + 1
  end
end

function done(summary, latency, requests)
  local bad, cache_hits, statuses = 0, 0, {}
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("bad_status")
    cache_hits = cache_hits + thread:get("hits")
    for status, count in pairs(thread:get("by_status")) do
      statuses[status] = (statuses[status] or 0) + count
    end
  end
  local e = summary.errors
  local socket_errors = e.connect + e.read + e.write + e.timeout
  local seconds = summary.duration / 1e6
  local parts = {}
  for status, count in pairs(statuses) do
    table.insert(parts, string.format('"%d": %d', status, count))
  end
  io.write(string.format(
    'WRK_JSON {"requests": %d, "seconds": %.2f, "requests_per_s": %.1f, '
      .. '"p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f, '
      .. '"socket_errors": %d, "timeouts": %d, "non_2xx_3xx": %d, "errors": %d, '
      .. '"cache_hits": %d, "statuses": {%s}}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    socket_errors, e.timeout, bad, socket_errors + bad, cache_hits, table.concat(parts, ", ")))
end
