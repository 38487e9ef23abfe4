-- The supply network: which supplier sells to which (a link), how much a
-- day at full production and on what terms its customer pays. Links are
-- confidential commercial data (who supplies whom): only treasury reads
-- them all; a supplier reads its own (as seller and as customer).
-- A pair has at most one link; a supplier never sells to itself; cycles
-- are allowed. Links are owned like suppliers: the service may insert,
-- update and delete them, and every change is kept in link_history.

CREATE TABLE links (
	supplier_id		text COLLATE "C" NOT NULL
				    REFERENCES suppliers (id),
	customer_id		text COLLATE "C" NOT NULL
				    REFERENCES suppliers (id),
	daily_sales		bigint NOT NULL
				    CHECK (daily_sales BETWEEN 0 AND 10000000000000),
	payment_terms_days	integer NOT NULL
				    CHECK (payment_terms_days BETWEEN 0 AND 365),
	created_at		timestamptz NOT NULL DEFAULT now(),
	updated_at		timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (supplier_id, customer_id),
	CHECK (supplier_id <> customer_id)
);
CREATE INDEX links_customer ON links (customer_id, supplier_id);

GRANT SELECT, INSERT, UPDATE, DELETE ON links TO tideover_app;

-- Every change of a link, append-only: what it was and what it became
-- (NULL for a link created or deleted).
CREATE TABLE link_history (
	seq			bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	supplier_id		text COLLATE "C" NOT NULL,
	customer_id		text COLLATE "C" NOT NULL,
	at			timestamptz NOT NULL DEFAULT now(),
	key_id			text,
	request_id		text,
	old_daily_sales		bigint,
	old_payment_terms_days	integer,
	new_daily_sales		bigint,
	new_payment_terms_days	integer
);
CREATE INDEX link_history_pair ON link_history (supplier_id, customer_id, seq);

GRANT SELECT, INSERT ON link_history TO tideover_app;

-- A scheme may also finance suppliers' invoices on their customers
-- (deep tier): covers 'all'. Existing schemes cover the OEM's invoices.
ALTER TABLE schemes ADD COLUMN covers text NOT NULL DEFAULT 'oem'
    CHECK (covers IN ('oem', 'all'));
