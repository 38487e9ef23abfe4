-- Order-stage schemes: a scheme's basis is 'invoice' (an advance on an
-- approved invoice, as before) or 'order' (a prepayment at the order and
-- a true-up at the invoice). The two day counts belong to the order basis
-- alone; an order-basis scheme finances the OEM's own suppliers only.
-- Existing schemes are invoice-basis.

ALTER TABLE schemes
    ADD COLUMN basis text NOT NULL DEFAULT 'invoice'
	CHECK (basis IN ('invoice', 'order')),
    ADD COLUMN order_lead_days integer
	CHECK (order_lead_days BETWEEN 0 AND 365),
    ADD COLUMN true_up_lag_days integer
	CHECK (true_up_lag_days BETWEEN 0 AND 365),
    ADD CONSTRAINT schemes_basis_days CHECK
	((basis = 'order') = (order_lead_days IS NOT NULL) AND
	(basis = 'order') = (true_up_lag_days IS NOT NULL)),
    ADD CONSTRAINT schemes_basis_covers CHECK
	(basis = 'invoice' OR covers = 'oem');

-- The run keeps them with the rest of its scheme. Rows made before this
-- migration have none: readers take that as the invoice basis, so their
-- inputs and their inputs_digest are what they were.
ALTER TABLE stress_runs
    ADD COLUMN s_basis text CHECK (s_basis IN ('invoice', 'order')),
    ADD COLUMN s_order_lead_days integer,
    ADD COLUMN s_true_up_lag_days integer;

-- Copied from the scheme as the run row is written, in the statement
-- that writes it (stress_run_begin), so from the same view of the
-- database as the rest of the run's scheme.
CREATE FUNCTION stress_run_scheme_basis() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.scheme_id IS NOT NULL THEN
		SELECT s.basis, s.order_lead_days, s.true_up_lag_days
		INTO NEW.s_basis, NEW.s_order_lead_days,
		    NEW.s_true_up_lag_days
		FROM schemes s WHERE s.id = NEW.scheme_id;
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER stress_runs_scheme_basis BEFORE INSERT ON stress_runs
    FOR EACH ROW EXECUTE FUNCTION stress_run_scheme_basis();

-- A scheme's basis, 'invoice' unless the row says otherwise.
CREATE OR REPLACE FUNCTION scheme_create(p_row jsonb, OUT created boolean,
    OUT scheme schemes)
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO schemes (id, name, effective_from, payment_lag_days,
	    advance_rate_bps, annual_rate_bps, day_count_basis, fee_bearer,
	    eligible_tiers, max_employees, min_invoice_amount,
	    requires_opt_in, per_supplier_cap, facility_limit, covers,
	    basis, order_lead_days, true_up_lag_days)
	SELECT r.id, r.name, r.effective_from, r.payment_lag_days,
	    r.advance_rate_bps, r.annual_rate_bps, r.day_count_basis,
	    r.fee_bearer, r.eligible_tiers, r.max_employees,
	    r.min_invoice_amount, r.requires_opt_in, r.per_supplier_cap,
	    r.facility_limit, coalesce(r.covers, 'oem'),
	    coalesce(r.basis, 'invoice'), r.order_lead_days,
	    r.true_up_lag_days
	FROM jsonb_populate_record(NULL::schemes, p_row) r
	ON CONFLICT (id) DO NOTHING
	RETURNING * INTO scheme;
	created := FOUND;
	IF NOT created THEN
		SELECT * INTO scheme FROM schemes WHERE id = p_row ->> 'id';
	END IF;
END
$$;
