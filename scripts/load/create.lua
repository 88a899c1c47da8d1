-- POST /api/v1/demands as the demo enterprise user: each request a new
-- demand of its own enterprise (BODY and TOKEN come from load.sh).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
wrk.body = os.getenv("BODY")
wrk.path = "/api/v1/demands"
