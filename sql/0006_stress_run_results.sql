-- Stress runs stored as arrays sent in binary, and made in fewer steps.
--
-- 0005 stored one row per supplier holding one array per figure, indexed
-- by outage length, sent as text: storing a run meant formatting and
-- casting millions of numbers and took most of a run's time. Now:
--
--   * every snapshot supplier has a position n (1.., in id order, bytes);
--   * results are one row per run holding one two-dimensional array per
--     figure, [n][L + 1], which the service sends in PostgreSQL's binary
--     array format: nothing to format, parse or slice when storing;
--   * breaks_at_outage_days, one figure per supplier, is an array on the
--     run, indexed by n;
--   * the snapshot of the open invoices is one row per run holding
--     parallel arrays in invoice id order (bytes), the order of the
--     digest's encoding: stress_run_begin copies the suppliers and, in the
--     same statement (so as of the same moment), answers with the open
--     invoices; the service digests exactly those and stores them
--     (stress_run_keep_invoices) while the engine runs. Grouping and
--     copying hundreds of thousands of invoices in the database was the
--     slowest part of a run, and reading the copy back the next;
--   * the supplier snapshot has no foreign key (see below).
--
-- Existing runs are carried over unchanged.

-- The supplier snapshot loses its foreign key: its only writer is
-- stress_run_begin, with the id of the run it has just created, and runs
-- are never deleted; checking the key for each of thousands of rows cost
-- a tenth of a run's time.
ALTER TABLE stress_run_inputs_suppliers
    DROP CONSTRAINT stress_run_inputs_suppliers_run_id_fkey;

ALTER TABLE stress_run_inputs_suppliers ADD COLUMN n integer;
ALTER TABLE stress_run_inputs_suppliers
    DISABLE TRIGGER stress_run_inputs_suppliers_insert_only;
UPDATE stress_run_inputs_suppliers s SET n = o.n
FROM (SELECT run_id, supplier_id, row_number() OVER (PARTITION BY run_id
        ORDER BY supplier_id) AS n
    FROM stress_run_inputs_suppliers) o
WHERE o.run_id = s.run_id AND o.supplier_id = s.supplier_id;
ALTER TABLE stress_run_inputs_suppliers
    ENABLE TRIGGER stress_run_inputs_suppliers_insert_only;
ALTER TABLE stress_run_inputs_suppliers ALTER COLUMN n SET NOT NULL,
    ADD CONSTRAINT stress_run_inputs_suppliers_n UNIQUE (run_id, n);

-- Every open invoice the run saw (approved, or advanced with a remainder
-- to come) with what was outstanding on it, in id order (bytes); element
-- k of each array is one invoice, of snapshot supplier supplier_n[k].
-- Written once, by stress_run_keep_invoices while the engine runs; a run
-- cannot finish without it.
ALTER TABLE stress_run_inputs_invoices
    RENAME TO stress_run_inputs_invoices_0005;
CREATE TABLE stress_run_inputs_invoices (
	run_id		bigint PRIMARY KEY REFERENCES stress_runs (id),
	supplier_n	integer[] COMPRESSION lz4 NOT NULL,
	invoice_ids	text[] COMPRESSION lz4 COLLATE "C" NOT NULL,
	outstanding	bigint[] COMPRESSION lz4 NOT NULL,
	due_dates	date[] COMPRESSION lz4 NOT NULL,
	CHECK (cardinality(supplier_n) = cardinality(invoice_ids) AND
	    cardinality(supplier_n) = cardinality(outstanding) AND
	    cardinality(supplier_n) = cardinality(due_dates))
);
INSERT INTO stress_run_inputs_invoices
SELECT r.id,
    coalesce(array_agg(s.n ORDER BY x.id COLLATE "C")
        FILTER (WHERE x.id IS NOT NULL), '{}'),
    coalesce(array_agg(x.id ORDER BY x.id COLLATE "C")
        FILTER (WHERE x.id IS NOT NULL), '{}'),
    coalesce(array_agg(x.amount ORDER BY x.id COLLATE "C")
        FILTER (WHERE x.id IS NOT NULL), '{}'),
    coalesce(array_agg(x.due ORDER BY x.id COLLATE "C")
        FILTER (WHERE x.id IS NOT NULL), '{}')
FROM stress_runs r
LEFT JOIN (stress_run_inputs_invoices_0005 o
    JOIN stress_run_inputs_suppliers s
        ON s.run_id = o.run_id AND s.supplier_id = o.supplier_id
    CROSS JOIN LATERAL unnest(o.invoice_ids, o.outstanding, o.due_dates)
        AS x(id, amount, due)) ON o.run_id = r.id
WHERE r.finished_at IS NOT NULL
GROUP BY r.id;
DROP TABLE stress_run_inputs_invoices_0005;
CREATE TRIGGER stress_run_inputs_invoices_insert_only
    BEFORE UPDATE OR DELETE ON stress_run_inputs_invoices
    FOR EACH ROW EXECUTE FUNCTION stress_run_insert_only();

-- Set once, by stress_run_finish, with the other results.
ALTER TABLE stress_runs ADD COLUMN breaks_at_outage_days integer[];
ALTER TABLE stress_runs DISABLE TRIGGER stress_runs_guard;
UPDATE stress_runs r SET breaks_at_outage_days = coalesce((
	SELECT array_agg(s.breaks_at_outage_days ORDER BY s.supplier_id)
	FROM stress_run_suppliers s WHERE s.run_id = r.id), '{}')
WHERE r.finished_at IS NOT NULL;
ALTER TABLE stress_runs ENABLE TRIGGER stress_runs_guard;
ALTER TABLE stress_runs ADD CONSTRAINT stress_runs_breaks
    CHECK ((finished_at IS NULL) = (breaks_at_outage_days IS NULL));

-- One row per run; element [n][L + 1] of each array is supplier n's figure
-- at outage length L (a run without suppliers has empty arrays). One
-- statement stores a run's millions of figures with nothing to convert
-- or slice; a reader slices out one outage length, [:][L + 1:L + 1].
-- lz4 compresses them about twice, at little cost.
CREATE TABLE stress_run_results (
	run_id			bigint PRIMARY KEY REFERENCES stress_runs (id),
	breach_day		integer[] COMPRESSION lz4 NOT NULL,
	lowest_liquidity	bigint[] COMPRESSION lz4 NOT NULL,
	lowest_liquidity_day	integer[] COMPRESSION lz4 NOT NULL,
	funding_gap		bigint[] COMPRESSION lz4 NOT NULL,
	early_paid		bigint[] COMPRESSION lz4 NOT NULL,
	fees			bigint[] COMPRESSION lz4 NOT NULL
);
CREATE TRIGGER stress_run_results_insert_only
    BEFORE UPDATE OR DELETE ON stress_run_results
    FOR EACH ROW EXECUTE FUNCTION stress_run_insert_only();

INSERT INTO stress_run_results
SELECT r.id, coalesce(array_agg(s.breach_day ORDER BY s.supplier_id)
        FILTER (WHERE s.run_id IS NOT NULL), '{}'),
    coalesce(array_agg(s.lowest_liquidity ORDER BY s.supplier_id)
        FILTER (WHERE s.run_id IS NOT NULL), '{}'),
    coalesce(array_agg(s.lowest_liquidity_day ORDER BY s.supplier_id)
        FILTER (WHERE s.run_id IS NOT NULL), '{}'),
    coalesce(array_agg(s.funding_gap ORDER BY s.supplier_id)
        FILTER (WHERE s.run_id IS NOT NULL), '{}'),
    coalesce(array_agg(s.early_paid ORDER BY s.supplier_id)
        FILTER (WHERE s.run_id IS NOT NULL), '{}'),
    coalesce(array_agg(s.fees ORDER BY s.supplier_id)
        FILTER (WHERE s.run_id IS NOT NULL), '{}')
FROM stress_runs r LEFT JOIN stress_run_suppliers s ON s.run_id = r.id
WHERE r.finished_at IS NOT NULL
GROUP BY r.id;
DROP TABLE stress_run_suppliers;

CREATE OR REPLACE FUNCTION stress_run_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'DELETE' OR
	    (to_jsonb(NEW) - ARRAY['finished_at', 'inputs_digest', 'curve',
	    'breaks_at_outage_days', 'published', 'published_at']) IS
	    DISTINCT FROM
	    (to_jsonb(OLD) - ARRAY['finished_at', 'inputs_digest', 'curve',
	    'breaks_at_outage_days', 'published', 'published_at']) OR
	    (OLD.finished_at IS NOT NULL AND
	    (NEW.finished_at, NEW.inputs_digest, NEW.curve,
	    NEW.breaks_at_outage_days) IS DISTINCT FROM
	    (OLD.finished_at, OLD.inputs_digest, OLD.curve,
	    OLD.breaks_at_outage_days)) OR
	    (OLD.published AND NOT NEW.published) THEN
		RAISE EXCEPTION 'stress run % cannot change this way', OLD.id
		    USING ERRCODE = 'TD010';
	END IF;
	RETURN NEW;
END
$$;

-- Start a run: check its parameters, copy the scenario, the scheme and
-- the suppliers, and answer with the open invoices, which the service
-- stores with the results. The first row carries the new run's id
-- (o_run_id, NULL on the others) and nothing else; then one row per open
-- invoice, in no particular order: supplier, id, what is outstanding and
-- the due date as a day number (days since 1970-01-01). TD011: no such
-- scenario; TD012: no such scheme; TD013: max_outage_days beyond the
-- scenario's horizon.
DROP FUNCTION stress_run_begin(text, text, integer);
CREATE FUNCTION stress_run_begin(p_scenario text, p_scheme text,
    p_max integer)
RETURNS TABLE (o_supplier_id text, o_invoice_id text, o_outstanding bigint,
    o_due_day integer, o_run_id bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
-- The answer is gathered before it is sent: in memory, not a temporary file.
SET work_mem = '64MB' AS $$
DECLARE
	sc	scenarios;
	sch	schemes;
	v_run	bigint;
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
	RETURNING stress_runs.id INTO v_run;

	RETURN QUERY SELECT NULL::text, NULL::text, NULL::bigint,
	    NULL::integer, v_run;
	-- One statement, so one view of the database: the suppliers it
	-- copies and the invoices it returns are of the same moment.
	RETURN QUERY
	WITH copied AS (
		INSERT INTO stress_run_inputs_suppliers (run_id, supplier_id,
		    name, tier, region, sector, employees, cash,
		    credit_available, min_liquidity, fixed_daily_costs,
		    oem_daily_sales, variable_cost_bps, other_daily_receipts,
		    payment_terms_days, scheme_opt_in, n)
		SELECT v_run, s.id, s.name, s.tier, s.region, s.sector,
		    s.employees, s.cash, s.credit_available, s.min_liquidity,
		    s.fixed_daily_costs, s.oem_daily_sales,
		    s.variable_cost_bps, s.other_daily_receipts,
		    s.payment_terms_days, s.scheme_opt_in,
		    row_number() OVER (ORDER BY s.id)
		FROM suppliers s
	)
	SELECT v.supplier_id::text, v.id::text, v.outstanding,
	    v.due_date - DATE '1970-01-01', NULL::bigint
	FROM (SELECT i.supplier_id, i.id, i.due_date, CASE i.status
	        WHEN 'approved' THEN i.amount
	        ELSE i.amount - i.advance END AS outstanding
	    FROM invoices i
	    WHERE i.status IN ('approved', 'advanced')) v
	WHERE v.outstanding > 0;
END
$$;

-- The open invoices stress_run_begin answered with, as the service put
-- them in id order, stored while the engine runs on them (see
-- stress_run_inputs_invoices). TD014: the run is not open.
CREATE FUNCTION stress_run_keep_invoices(p_id bigint, p_supplier_n integer[],
    p_ids text[], p_outstanding bigint[], p_due date[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
	PERFORM 1 FROM stress_runs WHERE id = p_id AND finished_at IS NULL;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'stress run % is not open', p_id
		    USING ERRCODE = 'TD014';
	END IF;
	INSERT INTO stress_run_inputs_invoices VALUES (p_id,
	    coalesce(p_supplier_n, '{}'), coalesce(p_ids, '{}'),
	    coalesce(p_outstanding, '{}'), coalesce(p_due, '{}'));
END
$$;

-- Finish a run: its digest, curve and results, and the reply stored
-- under the request's Idempotency-Key, all in one call. p_breaks holds
-- one element per snapshot supplier (by n); each results array is
-- [supplier n][outage length L + 1], or empty for a run without
-- suppliers. TD014: the run is not open; TD015: the arrays do not fit
-- the run, or its invoices were not kept.
DROP FUNCTION stress_run_finish(bigint, text, jsonb, text[], integer[],
    text[], text[], text[], text[], text[], text[], text, text, bytea,
    integer, text);
CREATE FUNCTION stress_run_finish(p_id bigint, p_digest text, p_curve jsonb,
    p_breaks integer[], p_breach integer[], p_lowest bigint[],
    p_lowest_day integer[], p_gap bigint[], p_early bigint[],
    p_fees bigint[], p_key_id text, p_idem text, p_request_hash bytea,
    p_status integer, p_response text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	n	integer;
	nl	integer;
	dims	text;
BEGIN
	UPDATE stress_runs SET finished_at = now(), inputs_digest = p_digest,
	    curve = p_curve, breaks_at_outage_days = p_breaks
	WHERE id = p_id AND finished_at IS NULL
	RETURNING max_outage_days + 1 INTO nl;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'stress run % is not open', p_id
		    USING ERRCODE = 'TD014';
	END IF;
	n := cardinality(p_breaks);
	dims := CASE WHEN n = 0 THEN NULL
	    ELSE format('[1:%s][1:%s]', n, nl) END;
	IF n <> (SELECT count(*) FROM stress_run_inputs_suppliers s
	    WHERE s.run_id = p_id) OR NOT EXISTS (SELECT 1
	    FROM stress_run_inputs_invoices i WHERE i.run_id = p_id) OR
	    array_dims(p_breach) IS DISTINCT FROM dims OR
	    array_dims(p_lowest) IS DISTINCT FROM dims OR
	    array_dims(p_lowest_day) IS DISTINCT FROM dims OR
	    array_dims(p_gap) IS DISTINCT FROM dims OR
	    array_dims(p_early) IS DISTINCT FROM dims OR
	    array_dims(p_fees) IS DISTINCT FROM dims THEN
		RAISE EXCEPTION 'stress run % results do not fit its snapshot',
		    p_id USING ERRCODE = 'TD015';
	END IF;
	INSERT INTO stress_run_results VALUES (p_id, p_breach, p_lowest,
	    p_lowest_day, p_gap, p_early, p_fees);
	PERFORM idempotency_store(p_key_id, p_idem, p_request_hash, p_status,
	    p_response);
END
$$;

GRANT SELECT ON stress_run_results, stress_run_inputs_invoices TO tideover_app;
REVOKE ALL ON FUNCTION stress_run_begin, stress_run_keep_invoices,
    stress_run_finish FROM PUBLIC;
GRANT EXECUTE ON FUNCTION stress_run_begin, stress_run_keep_invoices,
    stress_run_finish TO tideover_app;
