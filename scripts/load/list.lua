-- GET the staff member's demand list, 25 rows a page, pages 1 to 4 in
-- turn (TOKEN comes from load.sh).
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", string.format("/api/v1/demands?limit=25&offset=%d", (n % 4) * 25))
end
