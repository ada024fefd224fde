-- wrk script for bench:callback: every request is the next entry of a pre-generated pool of
-- distinct signed, encrypted callbacks (one MsgId each), so no request is a de-duplicated retry.
-- Pool file: one "path body" line per request (neither contains a space or a newline).
-- Args: <pool file> <target>. After <target> responses it prints DONE so the parent stops wrk
-- with SIGINT; requests past the pool's end are counted as "reused" (the parent refuses those runs).
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

local pool = {}
local size = 0
local next_index = 0
local target = 0
local answered = 0
reused = 0
bad_status = 0

function init(args)
  local f = assert(io.open(args[1], "rb"))
  for line in f:lines() do
    local sp = line:find(" ", 1, true)
    size = size + 1
    pool[size] = wrk.format("POST", line:sub(1, sp - 1), { ["Content-Type"] = "application/xml" }, line:sub(sp + 1))
  end
  f:close()
  target = tonumber(args[2])
end

function request()
  next_index = next_index + 1
  if next_index > size then
    reused = reused + 1
    return pool[((next_index - 1) % size) + 1]
  end
  return pool[next_index]
end

function response(status, headers, body)
  answered = answered + 1
  if status ~= 200 then bad_status = bad_status + 1 end
  if answered == target then
    io.write("DONE\n")
    io.flush()
  end
end

function done(summary, latency, requests)
  local reused_total, bad_total = 0, 0
  for _, t in ipairs(threads) do
    reused_total = reused_total + t:get("reused")
    bad_total = bad_total + t:get("bad_status")
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests":%d,"durationUs":%d,"p50Us":%d,"p99Us":%d,"errors":%d,"non2xx":%d,"reused":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, bad_total, reused_total))
end
