-- Suppliers, the history of their financial figures, and financing schemes.
-- Ids are compared by bytes (COLLATE "C"), as the liquidity model orders
-- them.

CREATE TABLE suppliers (
	seq			bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
	id			text COLLATE "C" PRIMARY KEY
				    CHECK (id ~ '^[A-Za-z0-9._:-]{1,64}$'),
	name			text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	tier			smallint NOT NULL CHECK (tier BETWEEN 1 AND 3),
	region			text NOT NULL CHECK (length(region) BETWEEN 1 AND 100),
	sector			text NOT NULL CHECK (length(sector) BETWEEN 1 AND 100),
	employees		integer NOT NULL CHECK (employees >= 0),
	currency		text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
	cash			bigint NOT NULL,
	credit_available	bigint NOT NULL CHECK (credit_available >= 0),
	min_liquidity		bigint NOT NULL DEFAULT 0,
	fixed_daily_costs	bigint NOT NULL CHECK (fixed_daily_costs >= 0),
	oem_daily_sales		bigint NOT NULL CHECK (oem_daily_sales >= 0),
	variable_cost_bps	integer NOT NULL
				    CHECK (variable_cost_bps BETWEEN 0 AND 10000),
	other_daily_receipts	bigint NOT NULL
				    CHECK (other_daily_receipts >= 0),
	payment_terms_days	integer NOT NULL
				    CHECK (payment_terms_days BETWEEN 0 AND 365),
	scheme_opt_in		boolean NOT NULL DEFAULT false,
	created_at		timestamptz NOT NULL DEFAULT now(),
	updated_at		timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX suppliers_tier ON suppliers (tier, id);
CREATE INDEX suppliers_region ON suppliers (region, id);
CREATE INDEX suppliers_sector ON suppliers (sector, id);

GRANT SELECT, INSERT, UPDATE ON suppliers TO tideover_app;

-- Every change of a financial figure, so that a stress run can say which
-- figures it used: one row per field changed, append-only.
CREATE TABLE supplier_history (
	seq		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	supplier_id	text COLLATE "C" NOT NULL REFERENCES suppliers (id),
	at		timestamptz NOT NULL DEFAULT now(),
	key_id		text,
	request_id	text,
	field		text NOT NULL,
	old_value	text,
	new_value	text
);
CREATE INDEX supplier_history_supplier ON supplier_history (supplier_id, seq);

GRANT SELECT, INSERT ON supplier_history TO tideover_app;

-- Schemes never change once created: the service may not update them.
CREATE TABLE schemes (
	seq			bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
	id			text COLLATE "C" PRIMARY KEY
				    CHECK (id ~ '^[A-Za-z0-9._:-]{1,64}$'),
	name			text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	effective_from		date NOT NULL,
	payment_lag_days	integer NOT NULL
				    CHECK (payment_lag_days BETWEEN 0 AND 365),
	advance_rate_bps	integer NOT NULL
				    CHECK (advance_rate_bps BETWEEN 1 AND 10000),
	annual_rate_bps		integer NOT NULL
				    CHECK (annual_rate_bps BETWEEN 0 AND 100000),
	day_count_basis		integer NOT NULL
				    CHECK (day_count_basis IN (360, 365)),
	fee_bearer		text NOT NULL
				    CHECK (fee_bearer IN ('supplier', 'oem')),
	eligible_tiers		smallint[] NOT NULL
				    CHECK (eligible_tiers <@ ARRAY[1, 2, 3]::smallint[]),
	max_employees		integer CHECK (max_employees >= 0),
	min_invoice_amount	bigint NOT NULL DEFAULT 0
				    CHECK (min_invoice_amount >= 0),
	requires_opt_in		boolean NOT NULL DEFAULT true,
	per_supplier_cap	bigint CHECK (per_supplier_cap >= 0),
	facility_limit		bigint CHECK (facility_limit >= 0),
	created_at		timestamptz NOT NULL DEFAULT now()
);

GRANT SELECT, INSERT ON schemes TO tideover_app;
