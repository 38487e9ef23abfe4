-- Invoices and the double-entry journal.
--
-- Chart of accounts (amounts are signed: debit positive, credit negative;
-- every transaction sums to zero per currency):
--
--   purchases                     approved invoices (the OEM's expense)
--   payable:supplier:<S>          what the OEM owes supplier S
--   payable:funder:<F>:<S>        what the OEM owes scheme F's funder for
--                                 advances paid to S (sum over S: the
--                                 facility in use)
--   cash                          the OEM's bank account
--   fees:oem                      financing fees the OEM bears
--   fees:supplier:<S>             fees supplier S bears (the discount the
--                                 funder keeps from its advances)
--   fees:funder:<F>               fees earned by scheme F's funder
--
-- Events and their postings:
--   approval       purchases +A, payable:supplier:S -A
--   early payment  payable:supplier:S +a, payable:funder:F:S -a, and the
--                  fee f: fees:supplier:S +f, fees:funder:F -f when the
--                  supplier bears it; fees:oem +f, cash -f when the OEM does
--   payment        payable:supplier:S +r, cash -r (r: what is outstanding)
--                  and, for an advanced invoice, payable:funder:F:S +a,
--                  cash -a (the funder's advance repaid)
--
-- The journal is append-only: the service role can only read it, and
-- writes go through the SECURITY DEFINER functions below, which write the
-- state change and its postings in one transaction. Each transaction's
-- hash is BLAKE2b-256(previous hash || canonical bytes), computed by the
-- service (src/core/journal.c documents the encoding) and checked by
-- GET /v1/ledger/verify. The head row serialises all postings, so caps
-- read under it stay true until the posting commits.

-- A supplier key is bound to a supplier that exists.
ALTER TABLE api_keys ADD FOREIGN KEY (supplier_id) REFERENCES suppliers (id);

-- Bulk imports write a million rows at once, so this table carries only
-- the indexes that reads need; the format checks on ids are done by the
-- service too, and here only as a last line of defence.
CREATE TABLE invoices (
	id		text COLLATE "C" PRIMARY KEY
			    CHECK (id ~ '^[A-Za-z0-9._-]{1,64}$'),
	supplier_id	text COLLATE "C" NOT NULL REFERENCES suppliers (id),
	amount		bigint NOT NULL CHECK (amount > 0),
	currency	text NOT NULL CHECK (octet_length(currency) = 3),
	issue_date	date NOT NULL,
	due_date	date NOT NULL CHECK (due_date >= issue_date),
	status		text NOT NULL CHECK (status IN
			    ('submitted', 'approved', 'rejected', 'advanced',
			    'paid')),
	reject_reason	text,
	scheme_id	text COLLATE "C" REFERENCES schemes (id),
	advance		bigint NOT NULL DEFAULT 0 CHECK (advance >= 0),
	fee		bigint NOT NULL DEFAULT 0 CHECK (fee >= 0),
	advanced_on	date,
	paid_on		date,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	CHECK (advance <= amount),
	CHECK ((status = 'advanced') = (advanced_on IS NOT NULL AND
	    paid_on IS NULL) OR (status = 'paid'))
);
CREATE INDEX invoices_supplier ON invoices (supplier_id, id);
CREATE INDEX invoices_due ON invoices (due_date, id);

CREATE TABLE ledger_accounts (
	name		text COLLATE "C" PRIMARY KEY,
	kind		text NOT NULL,
	supplier_id	text COLLATE "C",
	scheme_id	text COLLATE "C",
	currency	text NOT NULL,
	balance		bigint NOT NULL DEFAULT 0
);
CREATE INDEX ledger_accounts_scheme ON ledger_accounts (scheme_id, supplier_id);

CREATE TABLE ledger_transactions (
	seq		bigint PRIMARY KEY CHECK (seq > 0),
	kind		text NOT NULL CHECK (kind IN
			    ('approval', 'early_payment', 'payment', 'reversal')),
	invoice_id	text COLLATE "C",
	scheme_id	text COLLATE "C",
	effective_on	date,
	at		timestamptz NOT NULL,
	prev_hash	bytea NOT NULL CHECK (octet_length(prev_hash) = 32),
	hash		bytea NOT NULL UNIQUE CHECK (octet_length(hash) = 32)
);
CREATE INDEX ledger_transactions_invoice ON ledger_transactions (invoice_id);

CREATE TABLE ledger_postings (
	tx_seq		bigint NOT NULL,
	n		integer NOT NULL CHECK (n >= 0),
	account		text COLLATE "C" NOT NULL,
	currency	text NOT NULL,
	amount		bigint NOT NULL CHECK (amount <> 0),
	invoice_id	text COLLATE "C",
	PRIMARY KEY (tx_seq, n)
);
CREATE INDEX ledger_postings_account ON ledger_postings (account, tx_seq);

-- The chain's head: one row, locked by every posting.
CREATE TABLE ledger_head (
	one		boolean PRIMARY KEY DEFAULT true CHECK (one),
	seq		bigint NOT NULL,
	hash		bytea NOT NULL
);
INSERT INTO ledger_head VALUES (true, 0, '\x0000000000000000000000000000000000000000000000000000000000000000');

-- Idempotency keys, kept forever with the response they produced.
CREATE TABLE idempotency_keys (
	key_id		text NOT NULL,
	key		text NOT NULL,
	request_hash	bytea NOT NULL,
	status		integer NOT NULL,
	response	text NOT NULL,
	at		timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (key_id, key)
);

-- A transaction whose postings do not balance per currency, or that has
-- fewer than two, cannot commit, whoever writes it: the check runs at
-- commit, once per transaction. Postings can only be added in the database
-- transaction that created their journal transaction, so none can be
-- slipped in afterwards.
CREATE FUNCTION ledger_check_balanced() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	bad	record;
	n	bigint;
BEGIN
	SELECT currency, sum(amount) AS total INTO bad
	    FROM ledger_postings WHERE tx_seq = NEW.seq
	    GROUP BY currency HAVING sum(amount) <> 0 LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'ledger transaction % does not balance in %',
		    NEW.seq, bad.currency USING ERRCODE = 'TD010';
	END IF;
	SELECT count(*) INTO n FROM ledger_postings WHERE tx_seq = NEW.seq;
	IF n < 2 THEN
		RAISE EXCEPTION 'ledger transaction % has % postings',
		    NEW.seq, n USING ERRCODE = 'TD010';
	END IF;
	RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER ledger_balanced
    AFTER INSERT ON ledger_transactions
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION ledger_check_balanced();

-- Checked once per statement rather than per row (an import writes a
-- million postings at once): every posting's transaction and account must
-- exist, and the transaction must have been created by this database
-- transaction. (These stand in for foreign keys, whose per-row checks
-- cost more than the import itself.)
CREATE FUNCTION ledger_posting_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM (SELECT DISTINCT tx_seq FROM new_postings) p
	    WHERE NOT EXISTS (SELECT 1 FROM ledger_transactions t
	    WHERE t.seq = p.tx_seq AND t.xmin = pg_current_xact_id()::xid)) THEN
		RAISE EXCEPTION 'a posting must be written with its transaction'
		    USING ERRCODE = 'TD010';
	END IF;
	IF EXISTS (SELECT 1 FROM (SELECT DISTINCT account FROM new_postings) p
	    WHERE NOT EXISTS (SELECT 1 FROM ledger_accounts a
	    WHERE a.name = p.account)) THEN
		RAISE EXCEPTION 'a posting names an unknown account'
		    USING ERRCODE = 'TD010';
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER ledger_postings_guard
    AFTER INSERT ON ledger_postings
    REFERENCING NEW TABLE AS new_postings
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_posting_guard();

-- Nothing in the journal is ever updated or deleted, not even by the owner.
CREATE FUNCTION ledger_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'the journal is append-only; post a reversal instead'
	    USING ERRCODE = 'TD011';
END
$$;
CREATE TRIGGER ledger_transactions_append_only
    BEFORE UPDATE OR DELETE ON ledger_transactions
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER ledger_postings_append_only
    BEFORE UPDATE OR DELETE ON ledger_postings
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();

-- Error codes raised to the service (class TD):
--   TD001 the head moved since the caller read it: read again and retry
--   TD002 the invoice is not in the state the transition needs
--   TD003 idempotency key reused with another request
--   TD004 a cap or eligibility rule no longer holds
--   TD005 no such invoice
--   TD006 an invoice with this id exists with other fields

-- Append one transaction at the head. p_accounts, p_currencies and
-- p_amounts are the postings in order; p_invoices names the invoice of
-- each posting (NULL: every posting is the transaction's invoice's).
CREATE FUNCTION ledger_append(p_expected bigint, p_hash bytea,
    p_at timestamptz, p_kind text, p_invoice text, p_scheme text,
    p_effective date, p_accounts text[], p_currencies text[],
    p_amounts bigint[], p_invoices text[]) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	h	ledger_head;
BEGIN
	SELECT * INTO h FROM ledger_head FOR UPDATE;
	IF h.seq <> p_expected THEN
		RAISE EXCEPTION 'ledger head moved' USING ERRCODE = 'TD001';
	END IF;
	INSERT INTO ledger_transactions
	    VALUES (h.seq + 1, p_kind, p_invoice, p_scheme, p_effective, p_at,
	    h.hash, p_hash);

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
	SELECT h.seq + 1, u.n - 1, u.account, u.currency, u.amount, u.invoice
	FROM unnest(p_accounts, p_currencies, p_amounts,
	    coalesce(p_invoices, array_fill(p_invoice,
	    ARRAY[cardinality(p_accounts)])))
	    WITH ORDINALITY AS u(account, currency, amount, invoice, n);

	UPDATE ledger_head SET seq = h.seq + 1, hash = p_hash;
	RETURN h.seq + 1;
END
$$;
REVOKE ALL ON FUNCTION ledger_append FROM PUBLIC;

-- A stored idempotent reply for this key: the reply when the request is
-- the same, TD003 when it is not, nothing when the key is new.
CREATE FUNCTION idempotency_find(p_key_id text, p_key text,
    p_request_hash bytea, OUT status integer, OUT response text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	k	idempotency_keys;
BEGIN
	SELECT * INTO k FROM idempotency_keys
	    WHERE key_id = p_key_id AND key = p_key;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	IF k.request_hash <> p_request_hash THEN
		RAISE EXCEPTION 'idempotency key reused with another request'
		    USING ERRCODE = 'TD003';
	END IF;
	status := k.status;
	response := k.response;
END
$$;

CREATE FUNCTION idempotency_store(p_key_id text, p_key text,
    p_request_hash bytea, p_status integer, p_response text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
	IF p_key IS NULL THEN
		RETURN;
	END IF;
	INSERT INTO idempotency_keys (key_id, key, request_hash, status,
	    response)
	    VALUES (p_key_id, p_key, p_request_hash, p_status, p_response);
END
$$;
REVOKE ALL ON FUNCTION idempotency_store FROM PUBLIC;

-- An invoice moves from one status to the next together with its journal
-- transaction, or not at all. p_op is 'approve', 'early_payment', 'pay'
-- or 'reverse' (undo the invoice's latest money event: paid goes back to
-- advanced or approved, advanced to approved, approved to submitted);
-- p_from lists the statuses it may start from. Caps are checked again
-- under the head lock, against the advances outstanding in the journal.
CREATE FUNCTION invoice_transition(p_op text, p_invoice text, p_from text[],
    p_scheme text, p_on date, p_advance bigint, p_fee bigint,
    p_expected bigint, p_hash bytea, p_at timestamptz,
    p_accounts text[], p_currencies text[], p_amounts bigint[],
    p_key_id text, p_idem text, p_request_hash bytea, p_status integer,
    p_response text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	h	ledger_head;
	inv	invoices;
	sch	schemes;
	used	bigint;
	mine	bigint;
	seq	bigint;
BEGIN
	SELECT * INTO h FROM ledger_head FOR UPDATE;
	IF h.seq <> p_expected THEN
		RAISE EXCEPTION 'ledger head moved' USING ERRCODE = 'TD001';
	END IF;
	SELECT * INTO inv FROM invoices WHERE id = p_invoice FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no such invoice' USING ERRCODE = 'TD005';
	END IF;
	IF inv.status <> ALL (p_from) THEN
		RAISE EXCEPTION 'invoice % is %', p_invoice, inv.status
		    USING ERRCODE = 'TD002';
	END IF;

	IF p_op = 'approve' THEN
		UPDATE invoices SET status = 'approved', updated_at = p_at
		    WHERE id = p_invoice;
	ELSIF p_op = 'early_payment' THEN
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

	seq := ledger_append(p_expected, p_hash, p_at,
	    CASE p_op WHEN 'approve' THEN 'approval' WHEN 'pay' THEN 'payment'
	    WHEN 'reverse' THEN 'reversal' ELSE p_op END, p_invoice, p_scheme,
	    p_on, p_accounts,
	    p_currencies, p_amounts, NULL);
	PERFORM idempotency_store(p_key_id, p_idem, p_request_hash, p_status,
	    p_response);
	RETURN seq;
END
$$;

-- Create one invoice. An approved one (treasury's ERP import) posts its
-- approval with it. Returns 'created', or 'same' when an invoice with this
-- id and identical fields exists (nothing is written then).
CREATE FUNCTION invoice_create(p_id text, p_supplier text, p_amount bigint,
    p_currency text, p_issue date, p_due date, p_status text,
    p_expected bigint, p_hash bytea, p_at timestamptz,
    p_accounts text[], p_currencies text[], p_amounts bigint[],
    p_key_id text, p_idem text, p_request_hash bytea, p_rstatus integer,
    p_response text) RETURNS text
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
	IF p_status = 'approved' THEN
		PERFORM ledger_append(p_expected, p_hash, p_at, 'approval',
		    p_id, NULL, NULL, p_accounts, p_currencies, p_amounts,
		    NULL);
	END IF;
	PERFORM idempotency_store(p_key_id, p_idem, p_request_hash,
	    p_rstatus, p_response);
	RETURN 'created';
END
$$;

-- Bulk import of approved invoices, all or nothing: every invoice row and
-- one approval transaction with a posting per invoice. Invoices that exist
-- with identical fields are skipped by the caller beforehand.
CREATE FUNCTION invoice_import(p_ids text[], p_suppliers text[],
    p_amounts bigint[], p_currency text, p_issue date[], p_due date[],
    p_expected bigint, p_hash bytea, p_at timestamptz,
    p_accounts text[], p_currencies text[], p_pamounts bigint[],
    p_pinvoices text[], p_key_id text, p_idem text,
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
	IF n > 0 THEN
		PERFORM ledger_append(p_expected, p_hash, p_at, 'approval',
		    NULL, NULL, NULL, p_accounts, p_currencies, p_pamounts,
		    p_pinvoices);
	END IF;
	PERFORM idempotency_store(p_key_id, p_idem, p_request_hash,
	    p_rstatus, p_response);
	RETURN n;
END
$$;

CREATE FUNCTION invoice_reject(p_id text, p_reason text, p_at timestamptz)
    RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	inv	invoices;
BEGIN
	SELECT * INTO inv FROM invoices WHERE id = p_id FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no such invoice' USING ERRCODE = 'TD005';
	END IF;
	IF inv.status <> 'submitted' THEN
		RAISE EXCEPTION 'invoice % is %', p_id, inv.status
		    USING ERRCODE = 'TD002';
	END IF;
	UPDATE invoices SET status = 'rejected', reject_reason = p_reason,
	    updated_at = p_at WHERE id = p_id;
END
$$;

-- A supplier's position, from the journal.
CREATE FUNCTION ledger_supplier_summary(p_supplier text,
    OUT receivable_outstanding bigint, OUT paid_to_date bigint,
    OUT early_paid_to_date bigint, OUT fees_to_date bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
	SELECT
	    coalesce((SELECT -balance FROM ledger_accounts
	        WHERE name = 'payable:supplier:' || p_supplier), 0),
	    coalesce((SELECT sum(p.amount) FROM ledger_postings p
	        JOIN ledger_transactions t ON t.seq = p.tx_seq
	        WHERE p.account = 'payable:supplier:' || p_supplier
	        AND t.kind = 'payment'), 0)::bigint,
	    coalesce((SELECT sum(p.amount) FROM ledger_postings p
	        JOIN ledger_transactions t ON t.seq = p.tx_seq
	        WHERE p.account = 'payable:supplier:' || p_supplier
	        AND t.kind = 'early_payment'), 0)::bigint,
	    coalesce((SELECT balance FROM ledger_accounts
	        WHERE name = 'fees:supplier:' || p_supplier), 0)
$$;

-- The service reads all of it and writes only through the functions.
GRANT SELECT ON invoices, ledger_accounts, ledger_transactions,
    ledger_postings, ledger_head TO tideover_app;
REVOKE ALL ON FUNCTION invoice_transition, invoice_create, invoice_import,
    invoice_reject, idempotency_find, ledger_supplier_summary FROM PUBLIC;
GRANT EXECUTE ON FUNCTION invoice_transition, invoice_create,
    invoice_import, invoice_reject, idempotency_find,
    ledger_supplier_summary TO tideover_app;
