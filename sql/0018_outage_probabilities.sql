-- Outage probabilities: what the board believes about when production
-- restarts, [{outage_days, probability_bps}] on a scenario (NULL: none),
-- immutable like the rest of it. The service validates them (distinct
-- lengths within the horizon, probabilities > 0 summing to 10000) before
-- it writes a scenario, and that a run's range holds every length before
-- it begins one.
--
-- A run keeps them in its snapshot, copied from its scenario as its row
-- is inserted (a trigger, so that stress_run_begin, which copies the rest
-- of the scenario, stays as it is), and stores what they give at its
-- finish: the expected figures (jsonb {suppliers_below,
-- employees_at_risk, funding_gap, oem_cost}) and each supplier's
-- breach_probability_bps, by snapshot position n like the other results;
-- all NULL for a run without them, and for every run made before.

ALTER TABLE scenarios ADD COLUMN outage_probabilities jsonb
    CHECK (jsonb_typeof(outage_probabilities) = 'array');

ALTER TABLE stress_runs ADD COLUMN outage_probabilities jsonb
    CHECK (jsonb_typeof(outage_probabilities) = 'array');

ALTER TABLE stress_run_results
    ADD COLUMN expected jsonb
	CHECK (jsonb_typeof(expected) = 'object'),
    ADD COLUMN breach_probability_bps integer[] COMPRESSION lz4,
    ADD CHECK ((expected IS NULL) = (breach_probability_bps IS NULL));

CREATE FUNCTION stress_run_outage_probabilities() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
	SELECT s.outage_probabilities INTO NEW.outage_probabilities
	FROM scenarios s WHERE s.id = NEW.scenario_id;
	RETURN NEW;
END
$$;
CREATE TRIGGER stress_runs_outage_probabilities
    BEFORE INSERT ON stress_runs
    FOR EACH ROW EXECUTE FUNCTION stress_run_outage_probabilities();
REVOKE ALL ON FUNCTION stress_run_outage_probabilities FROM PUBLIC;

-- scenario_create as before, with the probabilities (p_row's
-- "outage_probabilities", absent or null: none).
DROP FUNCTION scenario_create(jsonb);
CREATE FUNCTION scenario_create(p_row jsonb)
RETURNS TABLE (created boolean, id text, name text, start_date date,
    horizon_days integer, ramp_bps integer[], payment_freeze_days integer,
    fixed_cost_relief_bps integer, created_at timestamptz, n integer,
    announced_on date, restart_date date, note text,
    outage_probabilities jsonb)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	v_created	boolean;
BEGIN
	INSERT INTO scenarios (id, name, start_date, horizon_days, ramp_bps,
	    payment_freeze_days, fixed_cost_relief_bps, outage_probabilities)
	SELECT r.id, r.name, r.start_date, r.horizon_days, r.ramp_bps,
	    r.payment_freeze_days, r.fixed_cost_relief_bps,
	    CASE WHEN jsonb_typeof(p_row -> 'outage_probabilities') = 'array'
	        THEN p_row -> 'outage_probabilities' END
	FROM jsonb_populate_record(NULL::scenarios,
	    p_row - 'outage_probabilities') r
	ON CONFLICT ON CONSTRAINT scenarios_pkey DO NOTHING;
	v_created := FOUND;
	IF v_created THEN
		INSERT INTO scenario_announcements (scenario_id, n,
		    announced_on, restart_date, note)
		SELECT p_row ->> 'id', (a.ord - 1)::integer,
		    (a.e ->> 'announced_on')::date,
		    (a.e ->> 'restart_date')::date,
		    coalesce(a.e ->> 'note', '')
		FROM jsonb_array_elements(coalesce(p_row -> 'announcements',
		    '[]'::jsonb)) WITH ORDINALITY a(e, ord);
	END IF;
	RETURN QUERY
	SELECT v_created, s.id::text, s.name, s.start_date, s.horizon_days,
	    s.ramp_bps, s.payment_freeze_days, s.fixed_cost_relief_bps,
	    s.created_at, a.n, a.announced_on, a.restart_date, a.note,
	    s.outage_probabilities
	FROM scenarios s
	LEFT JOIN scenario_announcements a ON a.scenario_id = s.id
	WHERE s.id = p_row ->> 'id'
	ORDER BY a.n;
END
$$;
REVOKE ALL ON FUNCTION scenario_create FROM PUBLIC;
GRANT EXECUTE ON FUNCTION scenario_create TO tideover_app;

-- stress_run_finish as before (sql/0013_network_runs.sql), with the
-- outage probabilities' figures: p_expected and p_breach_bps (one per
-- supplier, by n), both NULL for a run without probabilities.
DROP FUNCTION stress_run_finish(bigint, text, jsonb, integer[], integer[],
    bigint[], integer[], bigint[], bigint[], bigint[], boolean[], bigint[],
    bigint[], text, text, bytea, integer, text);
CREATE FUNCTION stress_run_finish(p_id bigint, p_digest text, p_curve jsonb,
    p_breaks integer[], p_breach integer[], p_lowest bigint[],
    p_lowest_day integer[], p_gap bigint[], p_early bigint[],
    p_fees bigint[], p_contagion boolean[], p_receivables bigint[],
    p_payables bigint[], p_expected jsonb, p_breach_bps integer[],
    p_key_id text, p_idem text, p_request_hash bytea, p_status integer,
    p_response text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	n	integer;
	nl	integer;
	dims	text;
	probs	boolean;
BEGIN
	UPDATE stress_runs SET finished_at = now(), inputs_digest = p_digest,
	    curve = p_curve, breaks_at_outage_days = p_breaks
	WHERE id = p_id AND finished_at IS NULL
	RETURNING max_outage_days + 1, outage_probabilities IS NOT NULL
	INTO nl, probs;
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
	    (p_contagion IS NULL) <> (p_payables IS NULL) OR
	    probs <> (p_expected IS NOT NULL) OR
	    probs <> (p_breach_bps IS NOT NULL) OR
	    (probs AND coalesce(cardinality(p_breach_bps), 0) <> n) THEN
		RAISE EXCEPTION 'stress run % results do not fit its snapshot',
		    p_id USING ERRCODE = 'TD015';
	END IF;
	INSERT INTO stress_run_results (run_id, breach_day, lowest_liquidity,
	    lowest_liquidity_day, funding_gap, early_paid, fees, contagion,
	    overdue_receivables, overdue_payables, expected,
	    breach_probability_bps)
	VALUES (p_id, p_breach, p_lowest, p_lowest_day, p_gap, p_early,
	    p_fees, p_contagion, p_receivables, p_payables, p_expected,
	    p_breach_bps);
	PERFORM idempotency_store(p_key_id, p_idem, p_request_hash, p_status,
	    p_response);
END
$$;
REVOKE ALL ON FUNCTION stress_run_finish FROM PUBLIC;
GRANT EXECUTE ON FUNCTION stress_run_finish TO tideover_app;
