-- wrk script for benchmarks/load.py: each wrk thread holds one connection and plays one
-- signed-in person, asking for that person's pages in turn.
--
-- LOAD_PLAN names a file with one line per person: the Cookie header, a tab, then the paths
-- separated by spaces. Thread n plays line n (wrapping round if there are more threads).
-- Any answer outside 200-299 counts as not OK: a redirect to the sign-in or two-factor page
-- would otherwise pass for a fast page. done() prints one JSON line starting "LOAD_RESULT ",
-- with the answers each person got (in plan order) besides wrk's totals.

local threads = {}
local people = nil

local function read_plan()
  local plan = {}
  for line in io.lines(os.getenv("LOAD_PLAN")) do
    local cookie, paths = line:match("^([^\t]+)\t(.+)$")
    table.insert(plan, { cookie = cookie, paths = paths })
  end
  return plan
end

function setup(thread)
  people = people or read_plan()
  local person = people[(#threads % #people) + 1]
  thread:set("person", #threads)
  thread:set("cookie", person.cookie)
  thread:set("paths", person.paths)
  thread:set("answered", 0)
  thread:set("not_ok", 0)
  thread:set("first_not_ok", "")
  table.insert(threads, thread)
end

function init(args)
  pages = {}
  for page in paths:gmatch("%S+") do
    table.insert(pages, page)
  end
  -- People start at different pages, so the heaviest one is not asked for by everyone at once.
  turn = person % #pages
  request_headers = { Cookie = cookie }
end

function request()
  turn = turn % #pages + 1
  return wrk.format("GET", pages[turn], request_headers)
end

function response(status, headers, body)
  answered = answered + 1
  if status < 200 or status > 299 then
    not_ok = not_ok + 1
    if first_not_ok == "" then
      first_not_ok = status .. " from " .. pages[turn]
    end
  end
end

function done(summary, latency, requests)
  local not_ok_total = 0
  local first = ""
  local answered = {}
  for _, thread in ipairs(threads) do
    table.insert(answered, thread:get("answered"))
    not_ok_total = not_ok_total + thread:get("not_ok")
    if first == "" then
      first = thread:get("first_not_ok")
    end
  end
  local errors = summary.errors
  io.write(string.format(
    'LOAD_RESULT {"requests": %d, "duration_us": %d, "answered": [%s], "not_ok": %d, '
      .. '"first_not_ok": "%s", '
      .. '"errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d}, '
      .. '"latency_us": {"mean": %.0f, "p50": %d, "p90": %d, "p99": %d, "max": %d}}\n',
    summary.requests, summary.duration, table.concat(answered, ", "), not_ok_total, first,
    errors.connect, errors.read, errors.write, errors.timeout,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max
  ))
end
