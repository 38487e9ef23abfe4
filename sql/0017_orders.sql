-- Purchase orders and the ledger side of order-stage schemes: a
-- prepayment at order, a true-up when the invoice arrives, and the OEM
-- repaying the funder at the invoice's maturity.
--
-- Chart of accounts, added to sql/0003_ledger.sql's:
--
--   prepaid:supplier:<S>          prepayments made to supplier S on orders
--                                 not yet matched by their invoice (debit)
--   receivable:supplier:<S>       what supplier S owes back: an invoice
--                                 smaller than its order's prepayment
--                                 (debit), netted from its next
--                                 true-ups and payments at maturity
--   payable:funder:<F>:<S>        as before; funded prepayments and
--                                 true-ups count here with invoice
--                                 advances, so both caps see them together
--
-- Events and their postings (a: the prepayment, A: the invoice amount,
-- R: what S owes back before the event, f: the event's fee, posted as an
-- early payment's is):
--   prepayment   prepaid:supplier:S +a, payable:funder:F:S -a, fee f
--   true_up      the prepayment applied: payable:supplier:S +min(a, A),
--                receivable:supplier:S +(a - A) when a > A,
--                prepaid:supplier:S -a; then of the rest r = A - min(a, A)
--                first n = min(R, r) netted: payable:supplier:S +n,
--                receivable:supplier:S -n; and r - n funded:
--                payable:supplier:S +(r - n), payable:funder:F:S -(r - n),
--                fee f on r - n
--   reversal     the latest of these events posted again with every
--                amount negated, the order and invoice a step back
--   payment      of a trued-up invoice: payable:funder:F:S +funded, cash
--                -funded (funded: prepayment and true-up together); of
--                one never trued up (the invoice came too late): the
--                prepayment applied and netted as above, the rest r - n
--                in cash, and the funder's prepayment repaid in cash
--
-- Each event is one call below: the state change, its journal
-- transaction sealed by ledger_append under the chain lock (the order
-- named on its own line of the canonical bytes), and the stored reply of
-- its Idempotency-Key. The service computes the postings from what it
-- read; the database checks that what it read still holds (TD001) and
-- checks the caps again under the chain lock (TD004).

CREATE TABLE orders (
	id		text COLLATE "C" PRIMARY KEY
			    CHECK (id ~ '^[A-Za-z0-9._-]{1,64}$'),
	supplier_id	text COLLATE "C" NOT NULL REFERENCES suppliers (id),
	amount		bigint NOT NULL CHECK (amount > 0),
	currency	text NOT NULL CHECK (octet_length(currency) = 3),
	order_date	date NOT NULL,
	delivery_date	date NOT NULL CHECK (delivery_date >= order_date),
	status		text NOT NULL DEFAULT 'open' CHECK (status IN
			    ('open', 'prepaid', 'invoiced', 'settled')),
	scheme_id	text COLLATE "C" REFERENCES schemes (id),
	prepaid		bigint NOT NULL DEFAULT 0 CHECK (prepaid >= 0),
	prepaid_fee	bigint NOT NULL DEFAULT 0 CHECK (prepaid_fee >= 0),
	prepaid_on	date,
	expected_due	date,
	invoice_id	text COLLATE "C" UNIQUE,
	true_up		bigint NOT NULL DEFAULT 0 CHECK (true_up >= 0),
	true_up_fee	bigint NOT NULL DEFAULT 0 CHECK (true_up_fee >= 0),
	true_up_on	date,
	netted		bigint NOT NULL DEFAULT 0 CHECK (netted >= 0),
	owed_back	bigint NOT NULL DEFAULT 0 CHECK (owed_back >= 0),
	funded		bigint NOT NULL DEFAULT 0 CHECK (funded >= 0),
	settled_on	date,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	CHECK ((status = 'open') = (prepaid = 0 AND prepaid_on IS NULL)),
	CHECK ((status IN ('open', 'prepaid')) = (invoice_id IS NULL)),
	CHECK (funded = prepaid + true_up)
);
CREATE INDEX orders_supplier ON orders (supplier_id, id);

ALTER TABLE invoices ADD COLUMN order_id text COLLATE "C" UNIQUE
    REFERENCES orders (id);
-- What the payment at maturity of an invoice of no order netted from
-- what its supplier owed back (an order's invoice keeps it on the order).
ALTER TABLE invoices ADD COLUMN netted bigint NOT NULL DEFAULT 0
    CHECK (netted >= 0);
ALTER TABLE orders ADD FOREIGN KEY (invoice_id) REFERENCES invoices (id);

ALTER TABLE ledger_transactions DROP CONSTRAINT ledger_transactions_kind_check;
ALTER TABLE ledger_transactions ADD CHECK (kind IN ('approval',
    'early_payment', 'payment', 'reversal', 'prepayment', 'true_up'));
ALTER TABLE ledger_transactions ADD COLUMN order_id text COLLATE "C";
CREATE INDEX ledger_transactions_order ON ledger_transactions (order_id)
    WHERE order_id IS NOT NULL;

-- The canonical bytes with the order's line, `order=<id>` after the
-- invoice's, present only when the transaction names an order: every
-- transaction sealed before keeps its bytes and its hash.
CREATE FUNCTION ledger_canonical(p_seq bigint, p_kind text, p_invoice text,
    p_order text, p_scheme text, p_effective date, p_at timestamptz,
    p_accounts text[], p_currencies text[], p_amounts bigint[],
    p_invoices text[]) RETURNS text
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
	SELECT 'tideover-journal-v2' || E'\n' ||
	    'seq=' || p_seq || E'\n' ||
	    'kind=' || coalesce(p_kind, '') || E'\n' ||
	    'invoice=' || coalesce(p_invoice, '') || E'\n' ||
	    coalesce('order=' || p_order || E'\n', '') ||
	    'scheme=' || coalesce(p_scheme, '') || E'\n' ||
	    'effective=' || coalesce(to_char(p_effective, 'YYYY-MM-DD'), '') ||
	    E'\n' ||
	    'at=' || coalesce(to_char(p_at AT TIME ZONE 'UTC',
	    'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), '') || E'\n' ||
	    coalesce((SELECT string_agg('posting=' || u.account || '|' ||
	    u.currency || '|' || u.amount || '|' || coalesce(u.invoice, '') ||
	    E'\n', '' ORDER BY u.n)
	    FROM unnest(p_accounts, p_currencies, p_amounts, p_invoices)
	    WITH ORDINALITY AS u(account, currency, amount, invoice, n)), '')
$$;

CREATE OR REPLACE FUNCTION ledger_canonical(p_seq bigint, p_kind text,
    p_invoice text, p_scheme text, p_effective date, p_at timestamptz,
    p_accounts text[], p_currencies text[], p_amounts bigint[],
    p_invoices text[]) RETURNS text
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
	SELECT ledger_canonical(p_seq, p_kind, p_invoice, NULL, p_scheme,
	    p_effective, p_at, p_accounts, p_currencies, p_amounts, p_invoices)
$$;

-- Append one transaction at the head, sealed, naming an order or not
-- (see sql/0015_seal_in_db.sql); the chart's new accounts get their kind.
CREATE FUNCTION ledger_append(p_at timestamptz, p_kind text, p_invoice text,
    p_order text, p_scheme text, p_effective date, p_accounts text[],
    p_currencies text[], p_amounts bigint[], p_invoices text[])
    RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	h	ledger_head;
	inv	text[];
	nseq	bigint;
	nhash	bytea;
BEGIN
	inv := coalesce(p_invoices, array_fill(p_invoice,
	    ARRAY[cardinality(p_accounts)]));
	SELECT * INTO h FROM ledger_head FOR UPDATE;
	nseq := h.seq + 1;
	nhash := sha256(h.hash || convert_to(ledger_canonical(nseq, p_kind,
	    p_invoice, p_order, p_scheme, p_effective, p_at, p_accounts,
	    p_currencies, p_amounts, inv), 'UTF8'));
	INSERT INTO ledger_transactions (seq, kind, invoice_id, order_id,
	    scheme_id, effective_on, at, prev_hash, hash, seal)
	    VALUES (nseq, p_kind, p_invoice, p_order, p_scheme, p_effective,
	    p_at, h.hash, nhash, 2);

	INSERT INTO ledger_accounts AS a (name, kind, supplier_id, scheme_id,
	    currency, balance)
	SELECT p.account,
	    CASE WHEN p.account LIKE 'payable:supplier:%' THEN 'supplier_payable'
	         WHEN p.account LIKE 'payable:funder:%' THEN 'funder_payable'
	         WHEN p.account LIKE 'fees:supplier:%' THEN 'supplier_fees'
	         WHEN p.account LIKE 'fees:funder:%' THEN 'funder_fees'
	         WHEN p.account LIKE 'prepaid:supplier:%'
	         THEN 'supplier_prepaid'
	         WHEN p.account LIKE 'receivable:supplier:%'
	         THEN 'supplier_receivable'
	         WHEN p.account = 'fees:oem' THEN 'oem_fees'
	         WHEN p.account = 'cash' THEN 'cash'
	         WHEN p.account = 'purchases' THEN 'purchases'
	         ELSE 'other' END,
	    CASE WHEN p.account LIKE 'payable:supplier:%'
	         THEN substr(p.account, 18)
	         WHEN p.account LIKE 'fees:supplier:%'
	         THEN substr(p.account, 15)
	         WHEN p.account LIKE 'prepaid:supplier:%'
	         THEN substr(p.account, 18)
	         WHEN p.account LIKE 'receivable:supplier:%'
	         THEN substr(p.account, 21)
	         WHEN p.account LIKE 'payable:funder:%'
	         THEN split_part(substr(p.account, 16), ':', 2) END,
	    CASE WHEN p.account LIKE 'payable:funder:%'
	         THEN split_part(substr(p.account, 16), ':', 1)
	         WHEN p.account LIKE 'fees:funder:%'
	         THEN substr(p.account, 13) END,
	    p.currency, p.total
	FROM (SELECT account, min(currency) AS currency, sum(amount) AS total
	    FROM unnest(p_accounts, p_currencies, p_amounts)
	        AS u(account, currency, amount)
	    GROUP BY account) p
	ON CONFLICT (name) DO UPDATE SET balance = a.balance + EXCLUDED.balance;

	INSERT INTO ledger_postings (tx_seq, n, account, currency, amount,
	    invoice_id)
	SELECT nseq, u.n - 1, u.account, u.currency, u.amount, u.invoice
	FROM unnest(p_accounts, p_currencies, p_amounts, inv)
	    WITH ORDINALITY AS u(account, currency, amount, invoice, n);

	UPDATE ledger_head SET seq = nseq, hash = nhash;
	PERFORM set_config('synchronous_commit', 'off', true);
	RETURN nseq;
END
$$;

CREATE OR REPLACE FUNCTION ledger_append(p_at timestamptz, p_kind text,
    p_invoice text, p_scheme text, p_effective date, p_accounts text[],
    p_currencies text[], p_amounts bigint[], p_invoices text[])
    RETURNS bigint
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
	SELECT ledger_append(p_at, p_kind, p_invoice, NULL, p_scheme,
	    p_effective, p_accounts, p_currencies, p_amounts, p_invoices)
$$;
REVOKE ALL ON FUNCTION ledger_append(timestamptz, text, text, text, text,
    date, text[], text[], bigint[], text[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION ledger_canonical(bigint, text, text, text, text, date,
    timestamptz, text[], text[], bigint[], text[]) FROM PUBLIC;

-- What supplier S owes back, from the journal.
CREATE FUNCTION ledger_owed_back(p_supplier text) RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
	SELECT coalesce((SELECT balance FROM ledger_accounts
	    WHERE name = 'receivable:supplier:' || p_supplier), 0)
$$;

-- Create one order; 'created', or 'same' when one with this id and
-- identical fields exists. TD006 when it exists with other fields.
CREATE FUNCTION order_create(p_id text, p_supplier text, p_amount bigint,
    p_currency text, p_order_date date, p_delivery_date date,
    p_at timestamptz) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	o	orders;
BEGIN
	SELECT * INTO o FROM orders WHERE id = p_id;
	IF FOUND THEN
		IF o.supplier_id = p_supplier AND o.amount = p_amount AND
		    o.currency = p_currency AND o.order_date = p_order_date AND
		    o.delivery_date = p_delivery_date THEN
			RETURN 'same';
		END IF;
		RAISE EXCEPTION 'order % exists with other fields', p_id
		    USING ERRCODE = 'TD006';
	END IF;
	INSERT INTO orders (id, supplier_id, amount, currency, order_date,
	    delivery_date, created_at, updated_at)
	    VALUES (p_id, p_supplier, p_amount, p_currency, p_order_date,
	    p_delivery_date, p_at, p_at);
	RETURN 'created';
END
$$;

-- The prepayment of an open order under an order-basis scheme: the
-- order becomes prepaid with its journal transaction. The caps are
-- checked again under the chain lock, against everything the scheme's
-- funder has outstanding (invoice advances and order funding alike).
CREATE FUNCTION order_prepay(p_order text, p_seen_status text,
    p_scheme text, p_on date, p_expected_due date, p_advance bigint,
    p_fee bigint, p_at timestamptz, p_accounts text[],
    p_currencies text[], p_amounts bigint[], p_key_id text, p_idem text,
    p_request_hash bytea, p_status integer, p_response text)
    RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	o	orders;
	sch	schemes;
	used	bigint;
	mine	bigint;
BEGIN
	SELECT * INTO o FROM orders WHERE id = p_order FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no such order' USING ERRCODE = 'TD005';
	END IF;
	IF o.status IS DISTINCT FROM p_seen_status THEN
		RAISE EXCEPTION 'order % changed since it was read', p_order
		    USING ERRCODE = 'TD001';
	END IF;
	IF o.status <> 'open' THEN
		RAISE EXCEPTION 'order % is %', p_order, o.status
		    USING ERRCODE = 'TD002';
	END IF;
	SELECT * INTO sch FROM schemes WHERE id = p_scheme;
	IF NOT FOUND OR sch.basis <> 'order' THEN
		RAISE EXCEPTION 'scheme % is not order-basis', p_scheme
		    USING ERRCODE = 'TD002';
	END IF;
	PERFORM 1 FROM ledger_head FOR UPDATE;
	SELECT coalesce(-sum(balance), 0),
	    coalesce(-sum(balance) FILTER (WHERE supplier_id = o.supplier_id),
	    0) INTO used, mine
	    FROM ledger_accounts
	    WHERE kind = 'funder_payable' AND scheme_id = p_scheme;
	IF sch.facility_limit IS NOT NULL AND
	    used + p_advance > sch.facility_limit THEN
		RAISE EXCEPTION 'facility limit' USING ERRCODE = 'TD004';
	END IF;
	IF sch.per_supplier_cap IS NOT NULL AND
	    mine + p_advance > sch.per_supplier_cap THEN
		RAISE EXCEPTION 'supplier cap' USING ERRCODE = 'TD004';
	END IF;
	UPDATE orders SET status = 'prepaid', scheme_id = p_scheme,
	    prepaid = p_advance, prepaid_fee = p_fee, prepaid_on = p_on,
	    expected_due = p_expected_due, funded = p_advance,
	    updated_at = p_at
	    WHERE id = p_order;
	PERFORM idempotency_store(p_key_id, p_idem, p_request_hash, p_status,
	    p_response);
	RETURN ledger_append(p_at, 'prepayment', NULL, p_order, p_scheme,
	    p_on, p_accounts, p_currencies, p_amounts, NULL);
END
$$;

-- The invoice of a prepaid order, created with its order's move to
-- invoiced; an approved one posts its approval with it. 'created' or
-- 'same' as invoice_create; TD005 when the order is not the supplier's
-- (or there is none), TD002 when it is not prepaid.
CREATE FUNCTION order_invoice_create(p_id text, p_supplier text,
    p_amount bigint, p_currency text, p_issue date, p_due date,
    p_status text, p_order text, p_at timestamptz, p_accounts text[],
    p_currencies text[], p_amounts bigint[], p_key_id text, p_idem text,
    p_request_hash bytea, p_rstatus integer, p_response text)
    RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	inv	invoices;
	o	orders;
BEGIN
	SELECT * INTO inv FROM invoices WHERE id = p_id;
	IF FOUND THEN
		IF inv.supplier_id = p_supplier AND inv.amount = p_amount AND
		    inv.currency = p_currency AND inv.issue_date = p_issue AND
		    inv.due_date = p_due AND inv.order_id IS NOT DISTINCT FROM
		    p_order AND (p_status = 'submitted' OR
		    inv.status IN ('approved', 'advanced', 'paid')) THEN
			RETURN 'same';
		END IF;
		RAISE EXCEPTION 'invoice % exists with other fields', p_id
		    USING ERRCODE = 'TD006';
	END IF;
	SELECT * INTO o FROM orders WHERE id = p_order FOR UPDATE;
	IF NOT FOUND OR o.supplier_id <> p_supplier THEN
		RAISE EXCEPTION 'no such order' USING ERRCODE = 'TD005';
	END IF;
	IF o.status <> 'prepaid' THEN
		RAISE EXCEPTION 'order % is %', p_order, o.status
		    USING ERRCODE = 'TD002';
	END IF;
	INSERT INTO invoices (id, supplier_id, amount, currency, issue_date,
	    due_date, status, order_id, created_at, updated_at)
	    VALUES (p_id, p_supplier, p_amount, p_currency, p_issue, p_due,
	    p_status, p_order, p_at, p_at);
	UPDATE orders SET status = 'invoiced', invoice_id = p_id,
	    updated_at = p_at WHERE id = p_order;
	PERFORM idempotency_store(p_key_id, p_idem, p_request_hash,
	    p_rstatus, p_response);
	IF p_status = 'approved' THEN
		PERFORM ledger_append(p_at, 'approval', p_id, p_order, NULL,
		    NULL, p_accounts, p_currencies, p_amounts, NULL);
	END IF;
	RETURN 'created';
END
$$;

-- The true-up ('true_up'), the payment at maturity ('pay') or the
-- reversal of the latest of them ('reverse') of an order's invoice, with
-- the order's new state. p_seen_* are what the
-- service computed the postings from: the invoice's status and advance,
-- the order's status and funding, and what the supplier owed back (TD001
-- when any has changed). p_advance and p_fee are the invoice's new
-- advance (what of it is paid before maturity) and the true-up's fee;
-- p_true_up the amount funded at the true-up, p_netted what was netted
-- from what the supplier owed back, p_owed what it now owes back on this
-- order. The true-up's funding is checked against the caps under the
-- chain lock.
CREATE FUNCTION order_invoice_settle(p_op text, p_invoice text,
    p_seen_status text, p_seen_advance bigint, p_seen_order_status text,
    p_seen_funded bigint, p_seen_owed bigint, p_on date, p_advance bigint,
    p_fee bigint, p_true_up bigint, p_netted bigint, p_owed bigint,
    p_at timestamptz, p_accounts text[], p_currencies text[],
    p_amounts bigint[], p_key_id text, p_idem text, p_request_hash bytea,
    p_status integer, p_response text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	inv	invoices;
	o	orders;
	sch	schemes;
	used	bigint;
	mine	bigint;
BEGIN
	SELECT * INTO inv FROM invoices WHERE id = p_invoice FOR UPDATE;
	IF NOT FOUND OR inv.order_id IS NULL THEN
		RAISE EXCEPTION 'no such invoice' USING ERRCODE = 'TD005';
	END IF;
	SELECT * INTO o FROM orders WHERE id = inv.order_id FOR UPDATE;
	IF inv.status IS DISTINCT FROM p_seen_status OR
	    inv.advance IS DISTINCT FROM p_seen_advance OR
	    o.status IS DISTINCT FROM p_seen_order_status OR
	    o.funded IS DISTINCT FROM p_seen_funded THEN
		RAISE EXCEPTION 'invoice % changed since it was read',
		    p_invoice USING ERRCODE = 'TD001';
	END IF;
	IF (p_op = 'true_up' AND inv.status <> 'approved') OR
	    (p_op = 'pay' AND inv.status NOT IN ('approved', 'advanced')) OR
	    (p_op = 'reverse' AND inv.status NOT IN ('advanced', 'paid')) OR
	    o.status NOT IN ('invoiced', 'settled') OR
	    (o.status = 'settled') <> (inv.status = 'paid') THEN
		RAISE EXCEPTION 'invoice % is %', p_invoice, inv.status
		    USING ERRCODE = 'TD002';
	END IF;
	-- What is owed back and the caps hold until the commit: both move
	-- only under this lock.
	PERFORM 1 FROM ledger_head FOR UPDATE;
	IF ledger_owed_back(inv.supplier_id) <> p_seen_owed THEN
		RAISE EXCEPTION 'what % owes back changed since it was read',
		    inv.supplier_id USING ERRCODE = 'TD001';
	END IF;

	IF p_op = 'true_up' THEN
		SELECT * INTO sch FROM schemes WHERE id = o.scheme_id;
		SELECT coalesce(-sum(balance), 0),
		    coalesce(-sum(balance) FILTER
		    (WHERE supplier_id = o.supplier_id), 0) INTO used, mine
		    FROM ledger_accounts
		    WHERE kind = 'funder_payable' AND scheme_id = o.scheme_id;
		IF sch.facility_limit IS NOT NULL AND
		    used + p_true_up > sch.facility_limit THEN
			RAISE EXCEPTION 'facility limit' USING ERRCODE = 'TD004';
		END IF;
		IF sch.per_supplier_cap IS NOT NULL AND
		    mine + p_true_up > sch.per_supplier_cap THEN
			RAISE EXCEPTION 'supplier cap' USING ERRCODE = 'TD004';
		END IF;
		UPDATE invoices SET status = 'advanced', scheme_id = o.scheme_id,
		    advance = p_advance, fee = p_fee, advanced_on = p_on,
		    updated_at = p_at WHERE id = p_invoice;
		UPDATE orders SET true_up = p_true_up, true_up_fee = p_fee,
		    true_up_on = p_on, netted = p_netted, owed_back = p_owed,
		    funded = prepaid + p_true_up, updated_at = p_at
		    WHERE id = o.id;
	ELSIF p_op = 'pay' THEN
		IF inv.status = 'approved' THEN
			UPDATE invoices SET scheme_id = o.scheme_id,
			    advance = p_advance WHERE id = p_invoice;
			UPDATE orders SET netted = p_netted,
			    owed_back = p_owed WHERE id = o.id;
		END IF;
		UPDATE invoices SET status = 'paid', paid_on = p_on,
		    updated_at = p_at WHERE id = p_invoice;
		UPDATE orders SET status = 'settled', settled_on = p_on,
		    updated_at = p_at WHERE id = o.id;
	ELSIF p_op = 'reverse' THEN
		-- What this order left owed back must still be owed: it may
		-- have been netted from a later payment since.
		IF o.owed_back > 0 AND (inv.status = 'advanced' OR
		    inv.advanced_on IS NULL) AND
		    ledger_owed_back(inv.supplier_id) < o.owed_back THEN
			RAISE EXCEPTION 'what % owed back on order % has been '
			    'netted since', inv.supplier_id, o.id
			    USING ERRCODE = 'TD002';
		END IF;
		IF inv.status = 'paid' AND inv.advanced_on IS NOT NULL THEN
			UPDATE invoices SET status = 'advanced', paid_on = NULL,
			    updated_at = p_at WHERE id = p_invoice;
		ELSE
			UPDATE invoices SET status = 'approved', scheme_id = NULL,
			    advance = 0, fee = 0, advanced_on = NULL,
			    paid_on = NULL, updated_at = p_at
			    WHERE id = p_invoice;
			UPDATE orders SET true_up = 0, true_up_fee = 0,
			    true_up_on = NULL, netted = 0, owed_back = 0,
			    funded = prepaid WHERE id = o.id;
		END IF;
		UPDATE orders SET status = 'invoiced', settled_on = NULL,
		    updated_at = p_at WHERE id = o.id;
	ELSE
		RAISE EXCEPTION 'unknown transition %', p_op;
	END IF;

	PERFORM idempotency_store(p_key_id, p_idem, p_request_hash, p_status,
	    p_response);
	RETURN ledger_append(p_at, CASE p_op WHEN 'pay' THEN 'payment'
	    WHEN 'reverse' THEN 'reversal' ELSE p_op END, p_invoice, o.id,
	    o.scheme_id, p_on, p_accounts, p_currencies, p_amounts, NULL);
END
$$;

-- The reversal of a prepaid order's prepayment, before it has an
-- invoice: the order is open again, its prepayment posted again with
-- every amount negated.
CREATE FUNCTION order_prepay_reverse(p_order text, p_seen_status text,
    p_at timestamptz, p_accounts text[], p_currencies text[],
    p_amounts bigint[], p_key_id text, p_idem text, p_request_hash bytea,
    p_status integer, p_response text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	o	orders;
BEGIN
	SELECT * INTO o FROM orders WHERE id = p_order FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no such order' USING ERRCODE = 'TD005';
	END IF;
	IF o.status IS DISTINCT FROM p_seen_status THEN
		RAISE EXCEPTION 'order % changed since it was read', p_order
		    USING ERRCODE = 'TD001';
	END IF;
	IF o.status <> 'prepaid' THEN
		RAISE EXCEPTION 'order % is %', p_order, o.status
		    USING ERRCODE = 'TD002';
	END IF;
	UPDATE orders SET status = 'open', scheme_id = NULL, prepaid = 0,
	    prepaid_fee = 0, prepaid_on = NULL, expected_due = NULL,
	    funded = 0, updated_at = p_at
	    WHERE id = p_order;
	PERFORM idempotency_store(p_key_id, p_idem, p_request_hash, p_status,
	    p_response);
	RETURN ledger_append(p_at, 'reversal', NULL, p_order, o.scheme_id,
	    NULL, p_accounts, p_currencies, p_amounts, NULL);
END
$$;

-- The payment at maturity ('pay') of an invoice of no order while its
-- supplier owes back, n of it netted (p_netted), or the reversal of such
-- a payment ('reverse'), as invoice_transition's, with the invoice's
-- netted amount; what is owed back is checked under the chain lock
-- against what the service read (TD001).
CREATE FUNCTION invoice_pay_netted(p_op text, p_invoice text,
    p_seen_status text, p_seen_advance bigint, p_seen_owed bigint,
    p_on date, p_netted bigint, p_at timestamptz, p_accounts text[],
    p_currencies text[], p_amounts bigint[], p_key_id text, p_idem text,
    p_request_hash bytea, p_status integer, p_response text)
    RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	inv	invoices;
BEGIN
	SELECT * INTO inv FROM invoices WHERE id = p_invoice FOR UPDATE;
	IF NOT FOUND OR inv.order_id IS NOT NULL THEN
		RAISE EXCEPTION 'no such invoice' USING ERRCODE = 'TD005';
	END IF;
	IF inv.status IS DISTINCT FROM p_seen_status OR
	    inv.advance IS DISTINCT FROM p_seen_advance THEN
		RAISE EXCEPTION 'invoice % changed since it was read',
		    p_invoice USING ERRCODE = 'TD001';
	END IF;
	IF (p_op = 'pay' AND inv.status NOT IN ('approved', 'advanced')) OR
	    (p_op = 'reverse' AND inv.status <> 'paid') THEN
		RAISE EXCEPTION 'invoice % is %', p_invoice, inv.status
		    USING ERRCODE = 'TD002';
	END IF;
	PERFORM 1 FROM ledger_head FOR UPDATE;
	IF ledger_owed_back(inv.supplier_id) <> p_seen_owed THEN
		RAISE EXCEPTION 'what % owes back changed since it was read',
		    inv.supplier_id USING ERRCODE = 'TD001';
	END IF;
	IF p_op = 'pay' THEN
		UPDATE invoices SET status = 'paid', paid_on = p_on,
		    netted = p_netted, updated_at = p_at WHERE id = p_invoice;
	ELSIF p_op = 'reverse' THEN
		UPDATE invoices SET status = CASE WHEN inv.advance > 0
		    THEN 'advanced' ELSE 'approved' END, paid_on = NULL,
		    netted = 0, updated_at = p_at WHERE id = p_invoice;
	ELSE
		RAISE EXCEPTION 'unknown transition %', p_op;
	END IF;
	PERFORM idempotency_store(p_key_id, p_idem, p_request_hash, p_status,
	    p_response);
	RETURN ledger_append(p_at, CASE p_op WHEN 'pay' THEN 'payment'
	    ELSE 'reversal' END, p_invoice, NULL, CASE WHEN inv.advance > 0
	    THEN inv.scheme_id END, p_on, p_accounts, p_currencies, p_amounts,
	    NULL);
END
$$;

-- A supplier's position, from the journal, now with what it has been
-- prepaid on orders not yet invoiced and what it owes back.
DROP FUNCTION ledger_supplier_summary(text);
CREATE FUNCTION ledger_supplier_summary(p_supplier text,
    OUT receivable_outstanding bigint, OUT paid_to_date bigint,
    OUT early_paid_to_date bigint, OUT fees_to_date bigint,
    OUT prepaid_outstanding bigint, OUT owed_back bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
	SELECT
	    coalesce((SELECT -balance FROM ledger_accounts
	        WHERE name = 'payable:supplier:' || p_supplier), 0),
	    coalesce((SELECT sum(amount - advance) FROM invoices
	        WHERE supplier_id = p_supplier AND status = 'paid'), 0)::bigint,
	    coalesce((SELECT sum(advance) FROM invoices
	        WHERE supplier_id = p_supplier
	        AND status IN ('advanced', 'paid')), 0)::bigint,
	    coalesce((SELECT balance FROM ledger_accounts
	        WHERE name = 'fees:supplier:' || p_supplier), 0),
	    coalesce((SELECT balance FROM ledger_accounts
	        WHERE name = 'prepaid:supplier:' || p_supplier), 0),
	    ledger_owed_back(p_supplier)
$$;

-- The service reads orders and writes them only through the functions.
GRANT SELECT ON orders TO tideover_app;
REVOKE ALL ON FUNCTION ledger_supplier_summary, ledger_owed_back,
    order_create, order_prepay, order_prepay_reverse, order_invoice_create,
    order_invoice_settle, invoice_pay_netted FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ledger_supplier_summary, ledger_owed_back,
    order_create, order_prepay, order_prepay_reverse, order_invoice_create,
    order_invoice_settle, invoice_pay_netted TO tideover_app;
