-- Mixed load: one demand filed by the enterprise for every nine reads
-- of the staff member's list (ENT_TOKEN, STAFF_TOKEN, BODY from load.sh).
local ent = "Bearer " .. os.getenv("ENT_TOKEN")
local staff = "Bearer " .. os.getenv("STAFF_TOKEN")
local body = os.getenv("BODY")
local n = 0
request = function()
  n = n + 1
  if n % 10 == 0 then
    return wrk.format("POST", "/api/v1/demands", {["Authorization"] = ent, ["Content-Type"] = "application/json"}, body)
  end
  return wrk.format("GET", string.format("/api/v1/demands?limit=25&offset=%d", (n % 4) * 25), {["Authorization"] = staff})
end
