-- wrk script: POST /v1/invoices, one new invoice per request, spread over
-- the benchmark's 1,000 suppliers. Each wrk thread has its own id prefix.

local threads = 0

function setup(thread)
	threads = threads + 1
	thread:set("prefix", string.format("W%d-%d", os.time(), threads))
end

local key = os.getenv("TIDEOVER_KEY")
local status = os.getenv("INVOICE_STATUS") or "submitted"
local n = 0

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

function done(summary, latency, requests)
	local bad = summary.errors.status + summary.errors.connect +
	    summary.errors.read + summary.errors.write + summary.errors.timeout
	io.write(string.format("RESULT %.1f %.2f %d\n",
	    summary.requests / (summary.duration / 1e6),
	    latency:percentile(99) / 1000, bad))
end
