-- Each request a different login (unknown ones), wrong password: every
-- request is a fresh (login, address) pair, so the per-login backoff
-- never refuses and each one asks for a password hash.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local n = 0
request = function()
  n = n + 1
  local body = string.format('{"login":"u%d_%d","password":"Wrong-pass-1"}', math.random(1, 1000000000), n)
  return wrk.format(nil, "/api/v1/login", nil, body)
end
local counts = {}
response = function(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end
done = function(summary, latency, requests)
  io.write(string.format("requests %d, errors(non-2xx/3xx) %d, p50 %.1f ms, p99 %.1f ms\n",
    summary.requests, summary.errors.status, latency:percentile(50)/1000, latency:percentile(99)/1000))
end
