-- Stress runs: a snapshot of the model's inputs (suppliers, open invoices,
-- the scenario and its announcements, the scheme), the engine's results
-- for every outage length 0..max_outage_days, and whether treasury has
-- published the run. Nothing of a finished run ever changes except its
-- publication, so a report read today gives the numbers it gave the day
-- the run was made, whatever happened to the data since.
--
-- A run is made in three round trips, because Kore hands the connection
-- back to the pool after each: stress_run_begin copies the inputs (one
-- statement, so one consistent view of suppliers and invoices), the
-- service reads the copy back and runs the engine on it, and
-- stress_run_finish stores every result at once. A run whose request
-- failed between the two stays unfinished (finished_at NULL): no reader
-- ever sees it.

CREATE TABLE stress_runs (
	id			bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	scenario_id		text COLLATE "C" NOT NULL
				    REFERENCES scenarios (id),
	scheme_id		text COLLATE "C" REFERENCES schemes (id),
	max_outage_days		integer NOT NULL CHECK (max_outage_days >= 0),
	created_at		timestamptz NOT NULL DEFAULT now(),
	-- The scenario as it was (scenarios never change; copied anyway so
	-- that a run is read from its own rows alone).
	start_date		date NOT NULL,
	horizon_days		integer NOT NULL,
	ramp_bps		integer[] NOT NULL,
	payment_freeze_days	integer NOT NULL,
	fixed_cost_relief_bps	integer NOT NULL,
	-- [{announced_on, restart_date, outage_days}] in announcement order.
	announcements		jsonb NOT NULL,
	-- The scheme as it was; all NULL without one.
	s_effective_from	date,
	s_payment_lag_days	integer,
	s_advance_rate_bps	integer,
	s_annual_rate_bps	integer,
	s_day_count_basis	integer,
	s_fee_bearer		text,
	s_eligible_tiers	smallint[],
	s_max_employees		integer,
	s_min_invoice_amount	bigint,
	s_requires_opt_in	boolean,
	s_per_supplier_cap	bigint,
	s_facility_limit	bigint,
	-- Set once, by stress_run_finish.
	finished_at		timestamptz,
	inputs_digest		text CHECK (inputs_digest ~ '^[0-9a-f]{64}$'),
	curve			jsonb,
	published		boolean NOT NULL DEFAULT false,
	published_at		timestamptz,
	CHECK (max_outage_days <= horizon_days),
	CHECK ((finished_at IS NULL) = (inputs_digest IS NULL) AND
	    (finished_at IS NULL) = (curve IS NULL)),
	CHECK (NOT published OR finished_at IS NOT NULL)
);
CREATE INDEX stress_runs_finished ON stress_runs (id) WHERE finished_at IS NOT NULL;

-- Every supplier as the run saw it.
CREATE TABLE stress_run_inputs_suppliers (
	run_id			bigint NOT NULL REFERENCES stress_runs (id),
	supplier_id		text COLLATE "C" NOT NULL,
	name			text NOT NULL,
	tier			smallint NOT NULL,
	region			text NOT NULL,
	sector			text NOT NULL,
	employees		integer NOT NULL,
	cash			bigint NOT NULL,
	credit_available	bigint NOT NULL,
	min_liquidity		bigint NOT NULL,
	fixed_daily_costs	bigint NOT NULL,
	oem_daily_sales		bigint NOT NULL,
	variable_cost_bps	integer NOT NULL,
	other_daily_receipts	bigint NOT NULL,
	payment_terms_days	integer NOT NULL,
	scheme_opt_in		boolean NOT NULL,
	PRIMARY KEY (run_id, supplier_id)
);

-- Every open invoice (approved, or advanced with a remainder to come)
-- with what was outstanding on it: one row per supplier with parallel
-- arrays, because a run copies hundreds of thousands of invoices and
-- rows with an index each would make that the slowest part of a run.
CREATE TABLE stress_run_inputs_invoices (
	run_id		bigint NOT NULL REFERENCES stress_runs (id),
	supplier_id	text COLLATE "C" NOT NULL,
	invoice_ids	text[] COLLATE "C" NOT NULL,
	outstanding	bigint[] NOT NULL,
	due_dates	date[] NOT NULL,
	PRIMARY KEY (run_id, supplier_id),
	CHECK (cardinality(invoice_ids) = cardinality(outstanding) AND
	    cardinality(invoice_ids) = cardinality(due_dates))
);

-- Per supplier, the results for outage length L at index L + 1 of each
-- array (PostgreSQL arrays count from 1).
CREATE TABLE stress_run_suppliers (
	run_id			bigint NOT NULL REFERENCES stress_runs (id),
	supplier_id		text COLLATE "C" NOT NULL,
	breaks_at_outage_days	integer,
	breach_day		integer[] NOT NULL,
	lowest_liquidity	bigint[] NOT NULL,
	lowest_liquidity_day	integer[] NOT NULL,
	funding_gap		bigint[] NOT NULL,
	early_paid		bigint[] NOT NULL,
	fees			bigint[] NOT NULL,
	PRIMARY KEY (run_id, supplier_id)
);

-- Snapshots and results are insert-only, whoever writes.
CREATE FUNCTION stress_run_insert_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'stress run snapshots and results never change'
	    USING ERRCODE = 'TD010';
END
$$;
CREATE TRIGGER stress_run_inputs_suppliers_insert_only
    BEFORE UPDATE OR DELETE ON stress_run_inputs_suppliers
    FOR EACH ROW EXECUTE FUNCTION stress_run_insert_only();
CREATE TRIGGER stress_run_inputs_invoices_insert_only
    BEFORE UPDATE OR DELETE ON stress_run_inputs_invoices
    FOR EACH ROW EXECUTE FUNCTION stress_run_insert_only();
CREATE TRIGGER stress_run_suppliers_insert_only
    BEFORE UPDATE OR DELETE ON stress_run_suppliers
    FOR EACH ROW EXECUTE FUNCTION stress_run_insert_only();

-- A run row changes twice at most: finished once, published once (or
-- again, to no effect). Its inputs and results never.
CREATE FUNCTION stress_run_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'DELETE' OR
	    (to_jsonb(NEW) - ARRAY['finished_at', 'inputs_digest', 'curve',
	    'published', 'published_at']) IS DISTINCT FROM
	    (to_jsonb(OLD) - ARRAY['finished_at', 'inputs_digest', 'curve',
	    'published', 'published_at']) OR
	    (OLD.finished_at IS NOT NULL AND
	    (NEW.finished_at, NEW.inputs_digest, NEW.curve) IS DISTINCT FROM
	    (OLD.finished_at, OLD.inputs_digest, OLD.curve)) OR
	    (OLD.published AND NOT NEW.published) THEN
		RAISE EXCEPTION 'stress run % cannot change this way', OLD.id
		    USING ERRCODE = 'TD010';
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER stress_runs_guard BEFORE UPDATE OR DELETE ON stress_runs
    FOR EACH ROW EXECUTE FUNCTION stress_run_guard();

-- Start a run: check its parameters, copy the inputs, return the new id.
-- TD011: no such scenario; TD012: no such scheme; TD013: max_outage_days
-- beyond the scenario's horizon. The invoice copy sorts every open
-- invoice once; work_mem is raised so that the sort stays in memory.
CREATE FUNCTION stress_run_begin(p_scenario text, p_scheme text,
    p_max integer, OUT run_id bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
SET work_mem = '64MB' AS $$
DECLARE
	sc	scenarios;
	sch	schemes;
BEGIN
	SELECT * INTO sc FROM scenarios s WHERE s.id = p_scenario;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no such scenario' USING ERRCODE = 'TD011';
	END IF;
	IF p_scheme IS NOT NULL THEN
		SELECT * INTO sch FROM schemes s WHERE s.id = p_scheme;
		IF NOT FOUND THEN
			RAISE EXCEPTION 'no such scheme'
			    USING ERRCODE = 'TD012';
		END IF;
	END IF;
	IF p_max < 0 OR p_max > sc.horizon_days THEN
		RAISE EXCEPTION 'max_outage_days beyond the horizon (%)',
		    sc.horizon_days USING ERRCODE = 'TD013';
	END IF;

	INSERT INTO stress_runs (scenario_id, scheme_id, max_outage_days,
	    start_date, horizon_days, ramp_bps, payment_freeze_days,
	    fixed_cost_relief_bps, announcements, s_effective_from,
	    s_payment_lag_days, s_advance_rate_bps, s_annual_rate_bps,
	    s_day_count_basis, s_fee_bearer, s_eligible_tiers,
	    s_max_employees, s_min_invoice_amount, s_requires_opt_in,
	    s_per_supplier_cap, s_facility_limit)
	SELECT sc.id, sch.id, p_max, sc.start_date, sc.horizon_days,
	    sc.ramp_bps, sc.payment_freeze_days, sc.fixed_cost_relief_bps,
	    coalesce((SELECT jsonb_agg(jsonb_build_object(
	        'announced_on', a.announced_on,
	        'restart_date', a.restart_date,
	        'outage_days', a.restart_date - sc.start_date) ORDER BY a.n)
	        FROM scenario_announcements a WHERE a.scenario_id = sc.id),
	        '[]'),
	    sch.effective_from, sch.payment_lag_days, sch.advance_rate_bps,
	    sch.annual_rate_bps, sch.day_count_basis, sch.fee_bearer,
	    sch.eligible_tiers, sch.max_employees, sch.min_invoice_amount,
	    sch.requires_opt_in, sch.per_supplier_cap, sch.facility_limit
	RETURNING stress_runs.id INTO run_id;

	-- One statement each, inside this one call: both copies see the
	-- database as of the same moment.
	INSERT INTO stress_run_inputs_suppliers
	SELECT run_id, s.id, s.name, s.tier, s.region, s.sector, s.employees,
	    s.cash, s.credit_available, s.min_liquidity, s.fixed_daily_costs,
	    s.oem_daily_sales, s.variable_cost_bps, s.other_daily_receipts,
	    s.payment_terms_days, s.scheme_opt_in
	FROM suppliers s;
	-- One sort by (supplier, id) feeds the grouping, rather than three
	-- sorts per supplier (one per ORDER BY aggregate). The arrays stay
	-- parallel whatever the order, as all three see the same rows;
	-- readers put invoices in id order themselves.
	INSERT INTO stress_run_inputs_invoices
	SELECT run_id, v.supplier_id, array_agg(v.id), array_agg(v.outstanding),
	    array_agg(v.due_date)
	FROM (SELECT i.supplier_id, i.id, i.due_date, CASE i.status
	        WHEN 'approved' THEN i.amount
	        ELSE i.amount - i.advance END AS outstanding
	    FROM invoices i
	    WHERE i.status IN ('approved', 'advanced')
	    ORDER BY i.supplier_id, i.id) v
	WHERE v.outstanding > 0
	GROUP BY v.supplier_id;
END
$$;

-- Finish a run: its digest, curve and per-supplier results, and the
-- reply stored under the request's Idempotency-Key, all in one call.
-- Each results array parameter holds one PostgreSQL array literal per
-- supplier, so that a row is cast, never sliced out of one huge array.
CREATE FUNCTION stress_run_finish(p_id bigint, p_digest text, p_curve jsonb,
    p_suppliers text[], p_breaks integer[], p_breach text[],
    p_lowest text[], p_lowest_day text[], p_gap text[], p_early text[],
    p_fees text[], p_key_id text, p_idem text, p_request_hash bytea,
    p_status integer, p_response text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
	UPDATE stress_runs SET finished_at = now(), inputs_digest = p_digest,
	    curve = p_curve
	WHERE id = p_id AND finished_at IS NULL;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'stress run % is not open', p_id
		    USING ERRCODE = 'TD014';
	END IF;
	INSERT INTO stress_run_suppliers
	SELECT p_id, t.s, t.b, t.bd::integer[], t.ll::bigint[],
	    t.lld::integer[], t.g::bigint[], t.e::bigint[], t.f::bigint[]
	FROM unnest(p_suppliers, p_breaks, p_breach, p_lowest, p_lowest_day,
	    p_gap, p_early, p_fees) AS t(s, b, bd, ll, lld, g, e, f);
	PERFORM idempotency_store(p_key_id, p_idem, p_request_hash, p_status,
	    p_response);
END
$$;

-- Publishing is idempotent; an unfinished run is no run (no row back).
CREATE FUNCTION stress_run_publish(p_id bigint) RETURNS SETOF bigint
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
	UPDATE stress_runs SET published = true,
	    published_at = coalesce(published_at, now())
	WHERE id = p_id AND finished_at IS NOT NULL
	RETURNING id
$$;

GRANT SELECT ON stress_runs, stress_run_inputs_suppliers,
    stress_run_inputs_invoices, stress_run_suppliers TO tideover_app;
REVOKE ALL ON FUNCTION stress_run_begin, stress_run_finish,
    stress_run_publish FROM PUBLIC;
GRANT EXECUTE ON FUNCTION stress_run_begin, stress_run_finish,
    stress_run_publish TO tideover_app;
