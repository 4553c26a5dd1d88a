-- wrk script: POST /api/subscriptions with a new address each request (loopback only).
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread:set("id", thread_id)
  thread_id = thread_id + 1
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() + id)
end

request = function()
  counter = counter + 1
  local body = string.format('{"email":"load-%d-%d-%d@example.org","locale":"nl","themes":["verandermanagement"],"consent":true}', id, os.time(), counter)
  return wrk.format("POST", "/api/subscriptions", { ["Content-Type"] = "application/json" }, body)
end

done = function(summary, latency, requests)
  io.write(string.format("requests: %d, errors(non-2xx/3xx): %d, seconds: %.1f\n", summary.requests, summary.errors.status, summary.duration / 1e6))
  io.write(string.format("requests/s: %.0f\n", summary.requests / (summary.duration / 1e6)))
  io.write(string.format("latency p50: %.1f ms, p99: %.1f ms, max: %.1f ms\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
