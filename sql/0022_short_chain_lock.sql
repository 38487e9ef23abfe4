-- Less work under the chain lock.
--
-- Every posting queues on the head's row lock (sql/0015_seal_in_db.sql),
-- so the postings per second the journal can take are one over the time
-- a posting holds that lock. Measured on the benchmark (16 clients
-- creating approved invoices), a posting held it about 1.1 ms, of which
-- 0.2 ms went to encoding its canonical bytes; yet only the seq line of
-- those bytes depends on the head. Now the rest of the encoding is done
-- before the lock is taken, and under the lock the seq line is put in
-- front and the bytes hashed after the head. The bytes are the same as
-- before, byte for byte (tideover-journal-v2, docs/ledger.md), so every
-- transaction's hash is unchanged and the service's verification needs
-- nothing new.

-- A transaction's canonical bytes after its seq line: every field on its
-- own line, absent ones empty, the order's line only when it names one,
-- then one line per posting in order.
CREATE FUNCTION ledger_canonical_tail(p_kind text, p_invoice text,
    p_order text, p_scheme text, p_effective date, p_at timestamptz,
    p_accounts text[], p_currencies text[], p_amounts bigint[],
    p_invoices text[]) RETURNS text
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
	SELECT 'kind=' || coalesce(p_kind, '') || E'\n' ||
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

-- The whole encoding: the first line, the seq line, then the tail.
CREATE OR REPLACE FUNCTION ledger_canonical(p_seq bigint, p_kind text,
    p_invoice text, p_order text, p_scheme text, p_effective date,
    p_at timestamptz, p_accounts text[], p_currencies text[],
    p_amounts bigint[], p_invoices text[]) RETURNS text
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
	SELECT 'tideover-journal-v2' || E'\n' || 'seq=' || p_seq || E'\n' ||
	    ledger_canonical_tail(p_kind, p_invoice, p_order, p_scheme,
	    p_effective, p_at, p_accounts, p_currencies, p_amounts, p_invoices)
$$;

-- What each scheme's funder has outstanding (the sum of the balances of
-- its funder_payable accounts, negative when owed), kept by
-- ledger_append under the chain lock with the balances it moves. A
-- prepayment checks its facility limit against this one row instead of
-- summing every supplier's account of the scheme under the lock (1,000
-- rows on the benchmark, and more with every new supplier). Only
-- ledger_append writes it, as only it writes ledger_accounts.
CREATE TABLE ledger_scheme_outstanding (
	scheme_id	text COLLATE "C" PRIMARY KEY,
	funder_payable	bigint NOT NULL
);
INSERT INTO ledger_scheme_outstanding (scheme_id, funder_payable)
    SELECT scheme_id, sum(balance) FROM ledger_accounts
    WHERE kind = 'funder_payable' GROUP BY scheme_id;
GRANT SELECT ON ledger_scheme_outstanding TO tideover_app;

-- Append one transaction at the head, sealed, naming an order or not.
-- What does not depend on the head (the invoice of each posting, the
-- canonical bytes after the seq line) is worked out first; the head's
-- lock is taken only for what does: the seq, the hash, the rows that
-- carry them and the balances and scheme totals they move. Held until
-- the commit.
CREATE OR REPLACE FUNCTION ledger_append(p_at timestamptz, p_kind text,
    p_invoice text, p_order text, p_scheme text, p_effective date,
    p_accounts text[], p_currencies text[], p_amounts bigint[],
    p_invoices text[]) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	h	ledger_head;
	inv	text[];
	tail	text;
	nseq	bigint;
	nhash	bytea;
BEGIN
	inv := coalesce(p_invoices, array_fill(p_invoice,
	    ARRAY[cardinality(p_accounts)]));
	tail := ledger_canonical_tail(p_kind, p_invoice, p_order, p_scheme,
	    p_effective, p_at, p_accounts, p_currencies, p_amounts, inv);

	SELECT * INTO h FROM ledger_head FOR UPDATE;
	nseq := h.seq + 1;
	nhash := sha256(h.hash || convert_to('tideover-journal-v2' || E'\n' ||
	    'seq=' || nseq || E'\n' || tail, 'UTF8'));
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
	IF array_to_string(p_accounts, ' ') LIKE '%payable:funder:%' THEN
		INSERT INTO ledger_scheme_outstanding AS o (scheme_id,
		    funder_payable)
		SELECT split_part(substr(u.account, 16), ':', 1), sum(u.amount)
		FROM unnest(p_accounts, p_amounts) AS u(account, amount)
		WHERE u.account LIKE 'payable:funder:%'
		GROUP BY 1
		ON CONFLICT (scheme_id) DO UPDATE
		    SET funder_payable = o.funder_payable +
		    EXCLUDED.funder_payable;
	END IF;

	INSERT INTO ledger_postings (tx_seq, n, account, currency, amount,
	    invoice_id)
	SELECT nseq, u.n - 1, u.account, u.currency, u.amount, u.invoice
	FROM unnest(p_accounts, p_currencies, p_amounts, inv)
	    WITH ORDINALITY AS u(account, currency, amount, invoice, n);

	UPDATE ledger_head SET seq = nseq, hash = nhash;
	-- Released at the commit, which need not wait for its WAL flush
	-- (sql/0015_seal_in_db.sql says why no acknowledged write is lost).
	PERFORM set_config('synchronous_commit', 'off', true);
	RETURN nseq;
END
$$;

REVOKE ALL ON FUNCTION ledger_canonical_tail(text, text, text, text, date,
    timestamptz, text[], text[], bigint[], text[]) FROM PUBLIC;


-- The prepayment of an open order (sql/0017_orders.sql), its caps read
-- under the chain lock from the scheme's total and the supplier's own
-- funder account: two rows by their keys, whatever the number of
-- suppliers.
CREATE OR REPLACE FUNCTION order_prepay(p_order text, p_seen_status text,
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
	used := coalesce((SELECT -funder_payable
	    FROM ledger_scheme_outstanding WHERE scheme_id = p_scheme), 0);
	mine := coalesce((SELECT -balance FROM ledger_accounts
	    WHERE name = 'payable:funder:' || p_scheme || ':' ||
	    o.supplier_id), 0);
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
