-- wrk script: POST /v1/orders/{id}/prepayment, one open order prepaid
-- per request (each a journal posting). Thread t of a run prepays the
-- orders BO-(BASE + 20000 (t - 1) + n), n = 1, 2, ..., so no order is
-- asked for twice (tests/bench/prepay.sh creates them). Prints one line:
--   RESULT <req/s> <errors> <p50 ms> <p99 ms>
-- where errors are replies other than 201 and socket errors.

local threads = {}

function setup(thread)
	table.insert(threads, thread)
	thread:set("first", tonumber(os.getenv("BASE") or "0") +
	    20000 * (#threads - 1))
end

local key = os.getenv("TIDEOVER_KEY")
local n = 0
bad = 0

function request()
	n = n + 1
	return wrk.format("POST", string.format("/v1/orders/BO-%d/prepayment",
	    first + n), {
		["Content-Type"] = "application/json",
		["Authorization"] = "Bearer " .. key,
	}, '{"scheme_id":"BORDER","paid_on":"2025-10-08"}')
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
