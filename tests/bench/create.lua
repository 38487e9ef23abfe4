-- wrk script: POST /v1/invoices, one new approved invoice per request
-- (each a journal posting), spread over the benchmark's 1,000 suppliers.
-- Each wrk thread has its own id prefix (PREFIX, then the thread), so
-- runs never repeat an id. Prints one line:
--   RESULT <req/s> <errors> <p50 ms> <p99 ms>
-- where errors are replies other than 201 and socket errors.

local threads = {}

function setup(thread)
	table.insert(threads, thread)
	thread:set("prefix", string.format("%s-%d",
	    os.getenv("PREFIX") or ("W" .. os.time()), #threads))
end

local key = os.getenv("TIDEOVER_KEY")
local status = os.getenv("INVOICE_STATUS") or "approved"
local n = 0
bad = 0

function request()
	n = n + 1
	local body = string.format('{"id":"%s-%d","supplier_id":"BSUP-%04d",' ..
	    '"amount":%d,"currency":"GBP","issue_date":"2025-09-01",' ..
	    '"due_date":"2025-10-31","status":"%s"}', prefix, n, n % 1000,
	    100000 + n, status)
	return wrk.format("POST", "/v1/invoices", {
		["Content-Type"] = "application/json",
		["Authorization"] = "Bearer " .. key,
	}, body)
end

function response(code, headers, body)
	if code ~= 201 then
		bad = bad + 1
		if bad <= 3 then
			io.stderr:write(string.format("reply %d: %s\n", code,
			    body))
		end
	end
end

function done(summary, latency, requests)
	local errors = summary.errors.connect + summary.errors.read +
	    summary.errors.write + summary.errors.timeout
	for _, t in ipairs(threads) do
		errors = errors + t:get("bad")
	end
	io.write(string.format("RESULT %.1f %d %.2f %.2f\n",
	    summary.requests / (summary.duration / 1e6), errors,
	    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
