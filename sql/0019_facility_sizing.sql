-- Facility sizings: how big the facility of a scheme must be for one
-- outage length, on a finished stress run's snapshot. Each row holds the
-- grid's every point (the model's figures at each trial limit), the
-- uncapped peak the grid was cut from, the target and the answer. A
-- sizing is computed once and never changes, like a run's results.
--
-- A sizing is stored in one call, together with the reply kept under the
-- request's Idempotency-Key; its id and time are taken first
-- (facility_sizing_reserve) so that the reply, which names both, is
-- printed before the call that stores it.

CREATE TABLE facility_sizings (
	id			bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	run_id			bigint NOT NULL REFERENCES stress_runs (id),
	scheme_id		text COLLATE "C" NOT NULL
				    REFERENCES schemes (id),
	outage_days		integer NOT NULL CHECK (outage_days >= 0),
	steps			integer NOT NULL
				    CHECK (steps BETWEEN 1 AND 200),
	-- At most this many suppliers below: given, or the count at the
	-- grid's largest limit.
	target			integer NOT NULL CHECK (target >= 0),
	unlimited_peak		bigint NOT NULL CHECK (unlimited_peak >= 0),
	-- NULL: no limit of the grid meets the target.
	smallest_sufficient_limit bigint
				    CHECK (smallest_sufficient_limit >= 0),
	-- [{facility_limit, suppliers_below, ...}], steps + 1 of them.
	points			jsonb NOT NULL CHECK (
				    jsonb_typeof(points) = 'array' AND
				    jsonb_array_length(points) = steps + 1),
	created_at		timestamptz NOT NULL
);
CREATE INDEX facility_sizings_run ON facility_sizings (run_id, id);

CREATE FUNCTION facility_sizing_insert_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'facility sizings never change'
	    USING ERRCODE = 'TD010';
END
$$;
CREATE TRIGGER facility_sizings_insert_only
    BEFORE UPDATE OR DELETE ON facility_sizings
    FOR EACH ROW EXECUTE FUNCTION facility_sizing_insert_only();

-- The next sizing's id and time, taken before its figures are stored.
-- An id taken by a request that fails is never used: ids have gaps.
CREATE FUNCTION facility_sizing_reserve(OUT o_id bigint,
    OUT o_created_at timestamptz)
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
	SELECT nextval(pg_get_serial_sequence('facility_sizings', 'id')),
	    now()
$$;

-- Store a sizing and its reply under the Idempotency-Key, in one call.
-- The run must be finished and long enough for the outage length
-- (TD010 otherwise: the service checked; this keeps the table true).
CREATE FUNCTION facility_sizing_store(p_id bigint, p_created_at timestamptz,
    p_run bigint, p_scheme text, p_outage_days integer, p_steps integer,
    p_target integer, p_unlimited_peak bigint, p_smallest bigint,
    p_points jsonb, p_key_id text, p_idem text, p_request_hash bytea,
    p_status integer, p_response text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM stress_runs r WHERE r.id = p_run AND
	    r.finished_at IS NOT NULL AND r.max_outage_days >= p_outage_days)
	    THEN
		RAISE EXCEPTION 'sizing does not fit stress run %', p_run
		    USING ERRCODE = 'TD010';
	END IF;
	INSERT INTO facility_sizings OVERRIDING SYSTEM VALUE VALUES (p_id,
	    p_run, p_scheme, p_outage_days, p_steps, p_target,
	    p_unlimited_peak, p_smallest, p_points, p_created_at);
	PERFORM idempotency_store(p_key_id, p_idem, p_request_hash, p_status,
	    p_response);
END
$$;

GRANT SELECT ON facility_sizings TO tideover_app;
REVOKE ALL ON FUNCTION facility_sizing_reserve, facility_sizing_store
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION facility_sizing_reserve, facility_sizing_store
    TO tideover_app;
