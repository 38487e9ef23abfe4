-- The journal's seal is computed by the database, under the chain lock.
--
-- Until now the service read the head, hashed the new transaction after
-- it and asked the database to append only if the head had not moved:
-- concurrent postings lost that race, read again and retried, and under
-- load gave up. Now ledger_append takes the head's row lock, encodes the
-- transaction (ledger_canonical), hashes it after the head with SHA-256,
-- appends it and moves the head, all in the statement that writes the
-- change; postings queue on the lock and none is ever refused for having
-- come second.
--
-- Every transaction names its seal: 1 for those the service sealed
-- before this migration (BLAKE2b-256 over tideover-journal-v1 bytes), 2
-- for those the database seals (SHA-256 over tideover-journal-v2 bytes,
-- the same lines under another first line). GET /v1/ledger/verify checks
-- each by its own; docs/ledger.md documents both encodings.
--
-- A write is still computed by the service from what it read (the
-- invoice's status, its advance and fee), so the database checks that
-- the invoice is as it was read and raises TD001, read again and retry,
-- when it is not. The caps are checked again under the chain lock.
--
-- Locks are taken in one order: the invoice rows first, the chain head
-- last, and nothing after it; so the head is held only for the append and
-- the commit.
--
-- A posting's commit does not wait for its WAL to reach the disk
-- (synchronous_commit off for that transaction alone): otherwise the
-- head's lock would be held through every flush and postings could go no
-- faster than the disk syncs, one at a time. This loses no acknowledged
-- write. The service answers a write only after its audit record has
-- committed, in a transaction of its own, synchronously; the WAL is one
-- stream, so that flush covers the posting, which committed before it.
-- Every later write that could depend on a posting (the next posting, a
-- stress run's snapshot) also commits after it. A crash can lose only
-- postings not yet answered, and only ones that nothing durable has
-- followed, which their clients retry with the same Idempotency-Key; a
-- plain read in that instant may have seen one. Recovery keeps a prefix
-- of the WAL, so the chain stays whole.

ALTER TABLE ledger_transactions ADD COLUMN seal smallint NOT NULL DEFAULT 1
    CHECK (seal IN (1, 2));
-- Rows before this migration keep seal 1; every append names its own.
ALTER TABLE ledger_transactions ALTER COLUMN seal DROP DEFAULT;

UPDATE error_codes SET meaning = 'what a write was computed from changed '
    'since it was read: read again and retry' WHERE code = 'TD001';

-- A transaction's canonical bytes, version 2 (src/core/journal.h): every
-- field on its own line, absent ones empty, then one line per posting in
-- order. Timestamps are printed as the service prints them (UTC, to the
-- microsecond), dates as YYYY-MM-DD, amounts in decimal.
CREATE FUNCTION ledger_canonical(p_seq bigint, p_kind text, p_invoice text,
    p_scheme text, p_effective date, p_at timestamptz, p_accounts text[],
    p_currencies text[], p_amounts bigint[], p_invoices text[])
    RETURNS text
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
	SELECT 'tideover-journal-v2' || E'\n' ||
	    'seq=' || p_seq || E'\n' ||
	    'kind=' || coalesce(p_kind, '') || E'\n' ||
	    'invoice=' || coalesce(p_invoice, '') || E'\n' ||
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

-- The functions that took the service's hash and the head it expected
-- give way to ones that seal in the database.
DROP FUNCTION invoice_transition(text, text, text[], text, date, bigint,
    bigint, bigint, bytea, timestamptz, text[], text[], bigint[], text, text,
    bytea, integer, text);
DROP FUNCTION invoice_create(text, text, bigint, text, date, date, text,
    bigint, bytea, timestamptz, text[], text[], bigint[], text, text, bytea,
    integer, text);
DROP FUNCTION invoice_import(text[], text[], bigint[], text, date[], date[],
    bigint, bytea, timestamptz, text[], text[], bigint[], text[], text, text,
    bytea, integer, text);
DROP FUNCTION ledger_append(bigint, bytea, timestamptz, text, text, text,
    date, text[], text[], bigint[], text[]);

-- Append one transaction at the head, sealed: p_accounts, p_currencies
-- and p_amounts are the postings in order; p_invoices names the invoice
-- of each posting (NULL: every posting is the transaction's invoice's).
-- Returns its seq. The head's lock is held until the commit.
CREATE FUNCTION ledger_append(p_at timestamptz, p_kind text, p_invoice text,
    p_scheme text, p_effective date, p_accounts text[], p_currencies text[],
    p_amounts bigint[], p_invoices text[]) RETURNS bigint
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
	    p_invoice, p_scheme, p_effective, p_at, p_accounts, p_currencies,
	    p_amounts, inv), 'UTF8'));
	INSERT INTO ledger_transactions (seq, kind, invoice_id, scheme_id,
	    effective_on, at, prev_hash, hash, seal)
	    VALUES (nseq, p_kind, p_invoice, p_scheme, p_effective, p_at,
	    h.hash, nhash, 2);

	INSERT INTO ledger_accounts AS a (name, kind, supplier_id, scheme_id,
	    currency, balance)
	SELECT p.account,
	    CASE WHEN p.account LIKE 'payable:supplier:%' THEN 'supplier_payable'
	         WHEN p.account LIKE 'payable:funder:%' THEN 'funder_payable'
	         WHEN p.account LIKE 'fees:supplier:%' THEN 'supplier_fees'
	         WHEN p.account LIKE 'fees:funder:%' THEN 'funder_fees'
	         WHEN p.account = 'fees:oem' THEN 'oem_fees'
	         WHEN p.account = 'cash' THEN 'cash'
	         WHEN p.account = 'purchases' THEN 'purchases'
	         ELSE 'other' END,
	    CASE WHEN p.account LIKE 'payable:supplier:%'
	         THEN substr(p.account, 18)
	         WHEN p.account LIKE 'fees:supplier:%'
	         THEN substr(p.account, 15)
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
	-- The head's lock is released at the commit; see the comment at
	-- the top on why this commit need not wait for its WAL flush.
	PERFORM set_config('synchronous_commit', 'off', true);
	RETURN nseq;
END
$$;
REVOKE ALL ON FUNCTION ledger_append FROM PUBLIC;

-- An invoice moves from one status to the next together with its journal
-- transaction, or not at all. p_op is 'approve', 'early_payment', 'pay'
-- or 'reverse' (undo the invoice's latest money event: paid goes back to
-- advanced or approved, advanced to approved, approved to submitted);
-- p_from lists the statuses it may start from; p_seen_* are the status,
-- advance, fee and scheme the service read and computed the postings
-- from (TD001 when the invoice has changed since). Caps are checked again
-- under the chain lock, against the advances outstanding in the journal.
CREATE FUNCTION invoice_transition(p_op text, p_invoice text, p_from text[],
    p_seen_status text, p_seen_advance bigint, p_seen_fee bigint,
    p_seen_scheme text, p_scheme text, p_on date, p_advance bigint,
    p_fee bigint, p_at timestamptz, p_accounts text[], p_currencies text[],
    p_amounts bigint[], p_key_id text, p_idem text, p_request_hash bytea,
    p_status integer, p_response text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	inv	invoices;
	sch	schemes;
	used	bigint;
	mine	bigint;
BEGIN
	SELECT * INTO inv FROM invoices WHERE id = p_invoice FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no such invoice' USING ERRCODE = 'TD005';
	END IF;
	IF inv.status IS DISTINCT FROM p_seen_status OR
	    inv.advance IS DISTINCT FROM p_seen_advance OR
	    inv.fee IS DISTINCT FROM p_seen_fee OR
	    inv.scheme_id IS DISTINCT FROM p_seen_scheme THEN
		RAISE EXCEPTION 'invoice % changed since it was read',
		    p_invoice USING ERRCODE = 'TD001';
	END IF;
	IF inv.status <> ALL (p_from) THEN
		RAISE EXCEPTION 'invoice % is %', p_invoice, inv.status
		    USING ERRCODE = 'TD002';
	END IF;

	IF p_op = 'approve' THEN
		UPDATE invoices SET status = 'approved', updated_at = p_at
		    WHERE id = p_invoice;
	ELSIF p_op = 'early_payment' THEN
		-- The caps hold until the commit: advances are posted only
		-- under this lock.
		PERFORM 1 FROM ledger_head FOR UPDATE;
		SELECT * INTO sch FROM schemes WHERE id = p_scheme;
		SELECT coalesce(-sum(balance), 0),
		    coalesce(-sum(balance) FILTER
		    (WHERE supplier_id = inv.supplier_id), 0)
		    INTO used, mine
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
		UPDATE invoices SET status = 'advanced', scheme_id = p_scheme,
		    advance = p_advance, fee = p_fee, advanced_on = p_on,
		    updated_at = p_at
		    WHERE id = p_invoice;
	ELSIF p_op = 'pay' THEN
		UPDATE invoices SET status = 'paid', paid_on = p_on,
		    updated_at = p_at
		    WHERE id = p_invoice;
	ELSIF p_op = 'reverse' AND inv.status = 'paid' THEN
		UPDATE invoices SET status = CASE WHEN inv.advance > 0
		    THEN 'advanced' ELSE 'approved' END, paid_on = NULL,
		    updated_at = p_at
		    WHERE id = p_invoice;
	ELSIF p_op = 'reverse' AND inv.status = 'advanced' THEN
		UPDATE invoices SET status = 'approved', scheme_id = NULL,
		    advance = 0, fee = 0, advanced_on = NULL, updated_at = p_at
		    WHERE id = p_invoice;
	ELSIF p_op = 'reverse' AND inv.status = 'approved' THEN
		UPDATE invoices SET status = 'submitted', updated_at = p_at
		    WHERE id = p_invoice;
	ELSE
		RAISE EXCEPTION 'unknown transition %', p_op;
	END IF;

	PERFORM idempotency_store(p_key_id, p_idem, p_request_hash, p_status,
	    p_response);
	RETURN ledger_append(p_at,
	    CASE p_op WHEN 'approve' THEN 'approval' WHEN 'pay' THEN 'payment'
	    WHEN 'reverse' THEN 'reversal' ELSE p_op END, p_invoice, p_scheme,
	    p_on, p_accounts, p_currencies, p_amounts, NULL);
END
$$;

-- Create one invoice. An approved one (treasury's ERP import) posts its
-- approval with it. Returns 'created', or 'same' when an invoice with this
-- id and identical fields exists (nothing is written then).
CREATE FUNCTION invoice_create(p_id text, p_supplier text, p_amount bigint,
    p_currency text, p_issue date, p_due date, p_status text,
    p_at timestamptz, p_accounts text[], p_currencies text[],
    p_amounts bigint[], p_key_id text, p_idem text, p_request_hash bytea,
    p_rstatus integer, p_response text) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	inv	invoices;
BEGIN
	SELECT * INTO inv FROM invoices WHERE id = p_id;
	IF FOUND THEN
		-- The same invoice again: submitted again, or approved again
		-- while it is approved or further along (not rejected).
		IF inv.supplier_id = p_supplier AND inv.amount = p_amount AND
		    inv.currency = p_currency AND inv.issue_date = p_issue AND
		    inv.due_date = p_due AND (p_status = 'submitted' OR
		    inv.status IN ('approved', 'advanced', 'paid')) THEN
			RETURN 'same';
		END IF;
		RAISE EXCEPTION 'invoice % exists with other fields', p_id
		    USING ERRCODE = 'TD006';
	END IF;

	INSERT INTO invoices (id, supplier_id, amount, currency, issue_date,
	    due_date, status, created_at, updated_at)
	    VALUES (p_id, p_supplier, p_amount, p_currency, p_issue, p_due,
	    p_status, p_at, p_at);
	PERFORM idempotency_store(p_key_id, p_idem, p_request_hash,
	    p_rstatus, p_response);
	IF p_status = 'approved' THEN
		PERFORM ledger_append(p_at, 'approval', p_id, NULL, NULL,
		    p_accounts, p_currencies, p_amounts, NULL);
	END IF;
	RETURN 'created';
END
$$;

-- Bulk import of approved invoices, all or nothing: every invoice row and
-- one approval transaction with a posting per supplier. Invoices that
-- exist with identical fields are skipped by the caller beforehand.
CREATE FUNCTION invoice_import(p_ids text[], p_suppliers text[],
    p_amounts bigint[], p_currency text, p_issue date[], p_due date[],
    p_at timestamptz, p_accounts text[], p_currencies text[],
    p_pamounts bigint[], p_pinvoices text[], p_key_id text, p_idem text,
    p_request_hash bytea, p_rstatus integer, p_response text)
    RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	n	bigint;
BEGIN
	INSERT INTO invoices (id, supplier_id, amount, currency, issue_date,
	    due_date, status, created_at, updated_at)
	SELECT u.id, u.supplier, u.amount, p_currency, u.issue, u.due,
	    'approved', p_at, p_at
	FROM unnest(p_ids, p_suppliers, p_amounts, p_issue, p_due)
	    AS u(id, supplier, amount, issue, due);
	GET DIAGNOSTICS n = ROW_COUNT;
	PERFORM idempotency_store(p_key_id, p_idem, p_request_hash,
	    p_rstatus, p_response);
	IF n > 0 THEN
		PERFORM ledger_append(p_at, 'approval', NULL, NULL, NULL,
		    p_accounts, p_currencies, p_pamounts, p_pinvoices);
	END IF;
	RETURN n;
END
$$;

REVOKE ALL ON FUNCTION ledger_canonical, invoice_transition, invoice_create,
    invoice_import FROM PUBLIC;
GRANT EXECUTE ON FUNCTION invoice_transition, invoice_create,
    invoice_import TO tideover_app;
