-- wrk's side of bench/mix-vs-wrk.sh: the same three weighted requests as bench/mix.yaml, filled from the same dataset
-- (rows in file order, wrapping), with the same status check (every response must be 200; others are counted).
--   wrk -t1 -c50 -d10s -s bench/mix.lua http://127.0.0.1:5080 -- bench/data/mix-users.csv
-- Weights 6 / 3 / 1: GET /api/echo/users/{id}, GET /api/items?count={count}&city={city},
-- POST /api/echo/users/{id} with {"name": …, "city": …}. Values are percent-encoded in the URL (RFC 3986 unreserved
-- characters kept, as Yardstick does) and JSON-escaped in the body. The dataset is plain CSV without quoted fields.

local rows = {}
local cursor = 0
local non2xx = 0
local threads = {}

local function split(line)
  local fields = {}
  for field in (line .. ","):gmatch("([^,]*),") do fields[#fields + 1] = field end
  return fields
end

local function url_encode(value)
  return (value:gsub("[^A-Za-z0-9%-%._~]", function(c) return string.format("%%%02X", c:byte()) end))
end

local function json_escape(value)
  return (value:gsub('[%c"\\]', function(c)
    if c == '"' then return '\\"' elseif c == "\\" then return "\\\\" elseif c == "\n" then return "\\n"
    elseif c == "\r" then return "\\r" elseif c == "\t" then return "\\t" end
    return string.format("\\u%04x", c:byte())
  end))
end

function setup(thread)
  threads[#threads + 1] = thread
end

function init(args)
  local path = args[1] or "bench/data/mix-users.csv"
  local file = assert(io.open(path, "r"), "mix.lua: cannot open the dataset " .. path)
  local header = split(file:read("*l"):gsub("\r$", ""))
  local index = {}
  for i, name in ipairs(header) do index[name] = i end
  for line in file:lines() do
    line = line:gsub("\r$", "")
    if line ~= "" then
      local f = split(line)
      rows[#rows + 1] = {
        id = url_encode(f[index.id]),
        count = url_encode(f[index.count]),
        city = url_encode(f[index.city]),
        json_name = json_escape(f[index.name]),
        json_city = json_escape(f[index.city]),
      }
    end
  end
  file:close()
  assert(#rows > 0, "mix.lua: the dataset has no rows")
  math.randomseed(11)
end

local json_headers = { ["Content-Type"] = "application/json" }

function request()
  cursor = cursor % #rows + 1
  local row = rows[cursor]
  local pick = math.random(10)
  if pick <= 6 then
    return wrk.format("GET", "/api/echo/users/" .. row.id)
  elseif pick <= 9 then
    return wrk.format("GET", "/api/items?count=" .. row.count .. "&city=" .. row.city)
  end
  return wrk.format("POST", "/api/echo/users/" .. row.id, json_headers,
    '{"name": "' .. row.json_name .. '", "city": "' .. row.json_city .. '"}')
end

function response(status, headers, body)
  if status ~= 200 then non2xx = non2xx + 1 end
end

function done(summary, latency, requests)
  local failed = 0
  for _, thread in ipairs(threads) do failed = failed + (thread:get("non2xx") or 0) end
  io.write(string.format("Check failures: %d\n", failed))
end
