-- wrk script: POST /api/subscriptions with a new address each request (loopback only); prints its
-- figures as one JSON line (read by bench/subscribe-throughput.ts).
local counter = 0
local thread_id = 0

function setup(thread)
  thread:set("id", thread_id)
  thread_id = thread_id + 1
end

function init(args)
  math.randomseed(os.time() + id)
  run = math.random(1, 1000000000)
end

request = function()
  counter = counter + 1
  local body = string.format('{"email":"load-%d-%d-%d@example.org","locale":"nl","themes":["verandermanagement"],"consent":true}', run, id, counter)
  return wrk.format("POST", "/api/subscriptions", { ["Content-Type"] = "application/json" }, body)
end

done = function(summary, latency, requests)
  io.write(string.format('{"requests":%d,"errors":%d,"seconds":%.2f,"rps":%.1f,"p50":%.2f,"p99":%.2f,"max":%.2f}\n',
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
