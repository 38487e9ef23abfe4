-- Suppliers, the history of their financial figures, and financing schemes.
-- Ids are compared by bytes (COLLATE "C"), as the liquidity model orders
-- them.

CREATE TABLE suppliers (
	seq			bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
	id			text COLLATE "C" PRIMARY KEY
				    CHECK (id ~ '^[A-Za-z0-9._-]{1,64}$'),
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
				    CHECK (id ~ '^[A-Za-z0-9._-]{1,64}$'),
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
				    CHECK (eligible_tiers <@ ARRAY[1, 2, 3]::smallint[])
				    -- no tier at all is a mistake, not a choice
				    CHECK (cardinality(eligible_tiers) >= 1),
	max_employees		integer CHECK (max_employees >= 0),
	min_invoice_amount	bigint NOT NULL DEFAULT 0
				    CHECK (min_invoice_amount >= 0),
	requires_opt_in		boolean NOT NULL DEFAULT true,
	per_supplier_cap	bigint CHECK (per_supplier_cap >= 0),
	facility_limit		bigint CHECK (facility_limit >= 0),
	created_at		timestamptz NOT NULL DEFAULT now()
);

GRANT SELECT, INSERT ON schemes TO tideover_app;

-- Writes of several rows, each one statement for the service: Kore hands
-- a connection back to the pool after every query, so what must be
-- atomic is one function call. They run with the caller's rights, so the
-- grants above still decide what the service may touch.
--
-- Rows come in as jsonb objects whose keys are the column names, already
-- validated by the service; the table's checks stay as a last line.

-- The figures a stress run reads: a change to any of them is kept in
-- supplier_history. Name, region and sector are not kept.
CREATE FUNCTION supplier_model_fields() RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
	SELECT ARRAY['tier', 'employees', 'currency', 'cash',
	    'credit_available', 'min_liquidity', 'fixed_daily_costs',
	    'oem_daily_sales', 'variable_cost_bps', 'other_daily_receipts',
	    'payment_terms_days', 'scheme_opt_in']
$$;

-- One history row per model field that differs between two versions of
-- suppliers, the old and new row of each as jsonb.
CREATE FUNCTION supplier_history_record(p_old jsonb[], p_new jsonb[],
    p_key_id text, p_request_id text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
	n	bigint;
BEGIN
	INSERT INTO supplier_history (supplier_id, key_id, request_id, field,
	    old_value, new_value)
	SELECT v.o ->> 'id', p_key_id, p_request_id, f.name, v.o ->> f.name,
	    v.n ->> f.name
	FROM unnest(p_old, p_new) WITH ORDINALITY AS v(o, n, i)
	CROSS JOIN unnest(supplier_model_fields()) WITH ORDINALITY
	    AS f(name, k)
	WHERE (v.o -> f.name) IS DISTINCT FROM (v.n -> f.name)
	ORDER BY v.i, f.k;
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END
$$;

-- Create one supplier. An existing one with this id is returned as it is
-- (created false), for the caller to compare: same fields is a repeat,
-- other fields a conflict. Nothing is written then.
CREATE FUNCTION supplier_create(p_row jsonb, OUT created boolean,
    OUT supplier suppliers)
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO suppliers (id, name, tier, region, sector, employees,
	    currency, cash, credit_available, min_liquidity,
	    fixed_daily_costs, oem_daily_sales, variable_cost_bps,
	    other_daily_receipts, payment_terms_days, scheme_opt_in)
	SELECT r.id, r.name, r.tier, r.region, r.sector, r.employees,
	    r.currency, r.cash, r.credit_available, r.min_liquidity,
	    r.fixed_daily_costs, r.oem_daily_sales, r.variable_cost_bps,
	    r.other_daily_receipts, r.payment_terms_days, r.scheme_opt_in
	FROM jsonb_populate_record(NULL::suppliers, p_row) r
	ON CONFLICT (id) DO NOTHING
	RETURNING * INTO supplier;
	created := FOUND;
	IF NOT created THEN
		-- A concurrent creator has committed by now: ON CONFLICT
		-- waited for it, and this statement sees it.
		SELECT * INTO supplier FROM suppliers WHERE id = p_row ->> 'id';
	END IF;
END
$$;

-- Merge p_patch (column name to new value) into one supplier, under its
-- row lock so that concurrent patches of different fields both land, and
-- record what changed. No row: no such supplier.
CREATE FUNCTION supplier_update(p_id text, p_patch jsonb, p_key_id text,
    p_request_id text) RETURNS SETOF suppliers
LANGUAGE plpgsql AS $$
DECLARE
	o	suppliers;
	n	suppliers;
BEGIN
	SELECT * INTO o FROM suppliers WHERE id = p_id FOR UPDATE;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	n := jsonb_populate_record(o, p_patch - ARRAY['id', 'seq',
	    'created_at', 'updated_at']);
	IF n IS NOT DISTINCT FROM o THEN
		RETURN NEXT o;
		RETURN;
	END IF;
	UPDATE suppliers SET name = n.name, tier = n.tier, region = n.region,
	    sector = n.sector, employees = n.employees,
	    currency = n.currency, cash = n.cash,
	    credit_available = n.credit_available,
	    min_liquidity = n.min_liquidity,
	    fixed_daily_costs = n.fixed_daily_costs,
	    oem_daily_sales = n.oem_daily_sales,
	    variable_cost_bps = n.variable_cost_bps,
	    other_daily_receipts = n.other_daily_receipts,
	    payment_terms_days = n.payment_terms_days,
	    scheme_opt_in = n.scheme_opt_in, updated_at = now()
	WHERE id = p_id
	RETURNING * INTO n;
	PERFORM supplier_history_record(ARRAY[to_jsonb(o)],
	    ARRAY[to_jsonb(n)], p_key_id, p_request_id);
	RETURN NEXT n;
END
$$;

-- Upsert a whole import, all or nothing: p_rows is a jsonb array of
-- complete suppliers with distinct ids. New ids are inserted first (in id
-- order, as every writer locks); the rest, existing by then, are locked
-- in id order, their changes recorded and applied. A supplier that is in
-- the file with the figures it already has counts as updated but keeps
-- its updated_at and gets no history row. Sets are joined, never searched
-- with = ANY, so that a large file stays linear.
CREATE FUNCTION supplier_import(p_rows jsonb, p_key_id text,
    p_request_id text, OUT created bigint, OUT updated bigint)
LANGUAGE plpgsql AS $$
DECLARE
	rest	text[];
	olds	jsonb[];
	news	jsonb[];
BEGIN
	WITH ins AS (
		INSERT INTO suppliers (id, name, tier, region, sector,
		    employees, currency, cash, credit_available,
		    min_liquidity, fixed_daily_costs, oem_daily_sales,
		    variable_cost_bps, other_daily_receipts,
		    payment_terms_days, scheme_opt_in)
		SELECT r.id, r.name, r.tier, r.region, r.sector, r.employees,
		    r.currency, r.cash, r.credit_available, r.min_liquidity,
		    r.fixed_daily_costs, r.oem_daily_sales,
		    r.variable_cost_bps, r.other_daily_receipts,
		    r.payment_terms_days, r.scheme_opt_in
		FROM jsonb_populate_recordset(NULL::suppliers, p_rows) r
		ORDER BY r.id
		ON CONFLICT (id) DO NOTHING
		RETURNING id)
	SELECT (SELECT count(*) FROM ins),
	    (SELECT coalesce(array_agg(r.id ORDER BY r.id), '{}')
	    FROM jsonb_populate_recordset(NULL::suppliers, p_rows) r
	    LEFT JOIN ins ON ins.id = r.id WHERE ins.id IS NULL)
	INTO created, rest;
	updated := cardinality(rest);
	IF updated = 0 THEN
		RETURN;
	END IF;

	-- The rest exist now: lock them, and keep old and new side by side.
	WITH r AS MATERIALIZED (
		SELECT x.* FROM jsonb_populate_recordset(NULL::suppliers,
		    p_rows) x JOIN unnest(rest) AS k(id) ON k.id = x.id),
	o AS MATERIALIZED (
		SELECT s.* FROM suppliers s JOIN unnest(rest) AS k(id)
		    ON k.id = s.id
		ORDER BY s.id FOR UPDATE OF s)
	SELECT array_agg(to_jsonb(o) ORDER BY o.id),
	    array_agg(to_jsonb(r) ORDER BY o.id)
	INTO olds, news
	FROM o JOIN r ON r.id = o.id;

	PERFORM supplier_history_record(olds, news, p_key_id, p_request_id);
	UPDATE suppliers s SET name = r.name, tier = r.tier,
	    region = r.region, sector = r.sector, employees = r.employees,
	    currency = r.currency, cash = r.cash,
	    credit_available = r.credit_available,
	    min_liquidity = r.min_liquidity,
	    fixed_daily_costs = r.fixed_daily_costs,
	    oem_daily_sales = r.oem_daily_sales,
	    variable_cost_bps = r.variable_cost_bps,
	    other_daily_receipts = r.other_daily_receipts,
	    payment_terms_days = r.payment_terms_days,
	    scheme_opt_in = r.scheme_opt_in, updated_at = now()
	FROM unnest(news) AS n(j),
	    LATERAL jsonb_populate_record(NULL::suppliers, n.j) r
	WHERE s.id = r.id AND
	    (s.name, s.tier, s.region, s.sector, s.employees, s.currency,
	    s.cash, s.credit_available, s.min_liquidity, s.fixed_daily_costs,
	    s.oem_daily_sales, s.variable_cost_bps, s.other_daily_receipts,
	    s.payment_terms_days, s.scheme_opt_in) IS DISTINCT FROM
	    (r.name, r.tier, r.region, r.sector, r.employees, r.currency,
	    r.cash, r.credit_available, r.min_liquidity, r.fixed_daily_costs,
	    r.oem_daily_sales, r.variable_cost_bps, r.other_daily_receipts,
	    r.payment_terms_days, r.scheme_opt_in);
END
$$;

-- Create one scheme; as supplier_create, an existing one is returned for
-- the caller to compare. Schemes are never updated.
CREATE FUNCTION scheme_create(p_row jsonb, OUT created boolean,
    OUT scheme schemes)
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO schemes (id, name, effective_from, payment_lag_days,
	    advance_rate_bps, annual_rate_bps, day_count_basis, fee_bearer,
	    eligible_tiers, max_employees, min_invoice_amount,
	    requires_opt_in, per_supplier_cap, facility_limit)
	SELECT r.id, r.name, r.effective_from, r.payment_lag_days,
	    r.advance_rate_bps, r.annual_rate_bps, r.day_count_basis,
	    r.fee_bearer, r.eligible_tiers, r.max_employees,
	    r.min_invoice_amount, r.requires_opt_in, r.per_supplier_cap,
	    r.facility_limit
	FROM jsonb_populate_record(NULL::schemes, p_row) r
	ON CONFLICT (id) DO NOTHING
	RETURNING * INTO scheme;
	created := FOUND;
	IF NOT created THEN
		SELECT * INTO scheme FROM schemes WHERE id = p_row ->> 'id';
	END IF;
END
$$;

REVOKE ALL ON FUNCTION supplier_history_record, supplier_create,
    supplier_update, supplier_import, scheme_create FROM PUBLIC;
GRANT EXECUTE ON FUNCTION supplier_model_fields, supplier_history_record,
    supplier_create, supplier_update, supplier_import, scheme_create
    TO tideover_app;
