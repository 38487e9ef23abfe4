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
