-- Stress runs on the supply network: a run copies the links with the
-- suppliers (one statement, one view of the database), its scheme's
-- covers, and stores the network's per-supplier results.
--
-- A run's links are one row of parallel arrays, each end a snapshot
-- supplier's position n (1.., in id order), sorted by (seller, customer).
-- A run made before this migration has no links row; readers take that
-- as no links, so its inputs and its inputs_digest are what they were.

ALTER TABLE stress_runs ADD COLUMN s_covers text
    CHECK (s_covers IN ('oem', 'all'));

CREATE TABLE stress_run_inputs_links (
	run_id			bigint PRIMARY KEY REFERENCES stress_runs (id),
	supplier_n		integer[] NOT NULL,
	customer_n		integer[] NOT NULL,
	daily_sales		bigint[] NOT NULL,
	payment_terms_days	integer[] NOT NULL,
	CHECK (cardinality(supplier_n) = cardinality(customer_n) AND
	    cardinality(supplier_n) = cardinality(daily_sales) AND
	    cardinality(supplier_n) = cardinality(payment_terms_days))
);
CREATE TRIGGER stress_run_inputs_links_insert_only
    BEFORE UPDATE OR DELETE ON stress_run_inputs_links
    FOR EACH ROW EXECUTE FUNCTION stress_run_insert_only();

-- The network's results, [supplier n][L + 1] like the others; NULL for a
-- run without links (every contagion false, nothing overdue).
ALTER TABLE stress_run_results
    ADD COLUMN contagion boolean[] COMPRESSION lz4,
    ADD COLUMN overdue_receivables bigint[] COMPRESSION lz4,
    ADD COLUMN overdue_payables bigint[] COMPRESSION lz4;

CREATE OR REPLACE FUNCTION stress_run_begin(p_scenario text, p_scheme text,
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
	    s_per_supplier_cap, s_facility_limit, s_covers)
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
	    sch.requires_opt_in, sch.per_supplier_cap, sch.facility_limit,
	    sch.covers
	RETURNING stress_runs.id INTO v_run;

	RETURN QUERY SELECT NULL::text, NULL::text, NULL::bigint,
	    NULL::integer, v_run;
	-- One statement, so one view of the database: the suppliers and
	-- links it copies and the invoices it returns are of the same moment.
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
		RETURNING supplier_id, n
	), linked AS (
		INSERT INTO stress_run_inputs_links
		SELECT v_run, coalesce(array_agg(a.n ORDER BY a.n, b.n), '{}'),
		    coalesce(array_agg(b.n ORDER BY a.n, b.n), '{}'),
		    coalesce(array_agg(l.daily_sales ORDER BY a.n, b.n), '{}'),
		    coalesce(array_agg(l.payment_terms_days ORDER BY a.n, b.n),
		    '{}')
		FROM links l
		JOIN copied a ON a.supplier_id = l.supplier_id
		JOIN copied b ON b.supplier_id = l.customer_id
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


DROP FUNCTION stress_run_finish(bigint, text, jsonb, integer[], integer[],
    bigint[], integer[], bigint[], bigint[], bigint[], text, text, bytea,
    integer, text);
CREATE FUNCTION stress_run_finish(p_id bigint, p_digest text, p_curve jsonb,
    p_breaks integer[], p_breach integer[], p_lowest bigint[],
    p_lowest_day integer[], p_gap bigint[], p_early bigint[],
    p_fees bigint[], p_contagion boolean[], p_receivables bigint[],
    p_payables bigint[], p_key_id text, p_idem text, p_request_hash bytea,
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
	    array_dims(p_fees) IS DISTINCT FROM dims OR
	    (p_contagion IS NOT NULL AND (
	    array_dims(p_contagion) IS DISTINCT FROM dims OR
	    array_dims(p_receivables) IS DISTINCT FROM dims OR
	    array_dims(p_payables) IS DISTINCT FROM dims)) OR
	    (p_contagion IS NULL) <> (p_receivables IS NULL) OR
	    (p_contagion IS NULL) <> (p_payables IS NULL) THEN
		RAISE EXCEPTION 'stress run % results do not fit its snapshot',
		    p_id USING ERRCODE = 'TD015';
	END IF;
	INSERT INTO stress_run_results VALUES (p_id, p_breach, p_lowest,
	    p_lowest_day, p_gap, p_early, p_fees, p_contagion, p_receivables,
	    p_payables);
	PERFORM idempotency_store(p_key_id, p_idem, p_request_hash, p_status,
	    p_response);
END
$$;

GRANT SELECT ON stress_run_inputs_links TO tideover_app;
REVOKE ALL ON FUNCTION stress_run_finish FROM PUBLIC;
GRANT EXECUTE ON FUNCTION stress_run_finish TO tideover_app;

-- A scheme's covers, 'oem' unless the row says otherwise.
CREATE OR REPLACE FUNCTION scheme_create(p_row jsonb, OUT created boolean,
    OUT scheme schemes)
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO schemes (id, name, effective_from, payment_lag_days,
	    advance_rate_bps, annual_rate_bps, day_count_basis, fee_bearer,
	    eligible_tiers, max_employees, min_invoice_amount,
	    requires_opt_in, per_supplier_cap, facility_limit, covers)
	SELECT r.id, r.name, r.effective_from, r.payment_lag_days,
	    r.advance_rate_bps, r.annual_rate_bps, r.day_count_basis,
	    r.fee_bearer, r.eligible_tiers, r.max_employees,
	    r.min_invoice_amount, r.requires_opt_in, r.per_supplier_cap,
	    r.facility_limit, coalesce(r.covers, 'oem')
	FROM jsonb_populate_record(NULL::schemes, p_row) r
	ON CONFLICT (id) DO NOTHING
	RETURNING * INTO scheme;
	created := FOUND;
	IF NOT created THEN
		SELECT * INTO scheme FROM schemes WHERE id = p_row ->> 'id';
	END IF;
END
$$;
