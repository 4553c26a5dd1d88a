-- wrk script: GET /api/articles?locale=nl (loopback only); prints its figures as one JSON line.
request = function()
  return wrk.format("GET", "/api/articles?locale=nl")
end

done = function(summary, latency, requests)
  io.write(string.format('{"requests":%d,"errors":%d,"seconds":%.2f,"rps":%.1f,"p50":%.2f,"p99":%.2f,"max":%.2f}\n',
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
