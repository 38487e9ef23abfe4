-- Production-stop scenarios and the outage announcements made during
-- them. Like schemes, a scenario never changes once created: a stress run
-- names one, and must be able to say exactly what it assumed.

CREATE TABLE scenarios (
	seq			bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
	id			text COLLATE "C" PRIMARY KEY
				    CHECK (id ~ '^[A-Za-z0-9._-]{1,64}$'),
	name			text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	start_date		date NOT NULL,
	horizon_days		integer NOT NULL DEFAULT 180
				    CHECK (horizon_days BETWEEN 1 AND 730),
	ramp_bps		integer[] NOT NULL DEFAULT '{}'
				    CHECK (cardinality(ramp_bps) <= 365 AND
				    0 <= ALL (ramp_bps) AND 10000 >= ALL (ramp_bps)),
	payment_freeze_days	integer NOT NULL DEFAULT 0
				    CHECK (payment_freeze_days >= 0),
	fixed_cost_relief_bps	integer NOT NULL DEFAULT 0
				    CHECK (fixed_cost_relief_bps BETWEEN 0 AND 10000),
	created_at		timestamptz NOT NULL DEFAULT now(),
	CHECK (payment_freeze_days <= horizon_days)
);

-- Each announcement extends the stop: production restarts on
-- restart_date, so its outage length is restart_date - start_date.
CREATE TABLE scenario_announcements (
	scenario_id	text COLLATE "C" NOT NULL REFERENCES scenarios (id),
	n		integer NOT NULL CHECK (n >= 0),
	announced_on	date NOT NULL,
	restart_date	date NOT NULL,
	note		text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
	PRIMARY KEY (scenario_id, n)
);

GRANT SELECT, INSERT ON scenarios, scenario_announcements TO tideover_app;

-- Create a scenario with its announcements in one statement: the
-- connection goes back to the pool after every query, so a scenario must
-- never be seen without them. p_row is the scenario as jsonb, with
-- "announcements" an array of {announced_on, restart_date, note} in the
-- order given (n counts from 0). When the id exists nothing is written
-- and the stored scenario comes back with created false, so that the
-- caller can tell an identical repeat (200) from a conflict (409).
-- One row per announcement, the scenario's columns repeated; a scenario
-- without announcements is one row with them null.
CREATE FUNCTION scenario_create(p_row jsonb)
RETURNS TABLE (created boolean, id text, name text, start_date date,
    horizon_days integer, ramp_bps integer[], payment_freeze_days integer,
    fixed_cost_relief_bps integer, created_at timestamptz, n integer,
    announced_on date, restart_date date, note text)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	v_created	boolean;
BEGIN
	INSERT INTO scenarios (id, name, start_date, horizon_days, ramp_bps,
	    payment_freeze_days, fixed_cost_relief_bps)
	SELECT r.id, r.name, r.start_date, r.horizon_days, r.ramp_bps,
	    r.payment_freeze_days, r.fixed_cost_relief_bps
	FROM jsonb_populate_record(NULL::scenarios, p_row) r
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
	    s.created_at, a.n, a.announced_on, a.restart_date, a.note
	FROM scenarios s
	LEFT JOIN scenario_announcements a ON a.scenario_id = s.id
	WHERE s.id = p_row ->> 'id'
	ORDER BY a.n;
END
$$;

REVOKE ALL ON FUNCTION scenario_create FROM PUBLIC;
GRANT EXECUTE ON FUNCTION scenario_create TO tideover_app;
