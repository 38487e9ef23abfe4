-- API keys and the audit trail.

CREATE TABLE api_keys (
	seq		bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
	id		text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{16}$'),
	secret_hash	bytea NOT NULL CHECK (octet_length(secret_hash) = 32),
	role		text NOT NULL
			    CHECK (role IN ('treasury', 'supplier', 'government')),
	supplier_id	text,
	label		text NOT NULL DEFAULT '',
	created_at	timestamptz NOT NULL DEFAULT now(),
	revoked_at	timestamptz,
	CHECK ((role = 'supplier') = (supplier_id IS NOT NULL))
);

-- The service reads keys, creates them and may only ever set the
-- revocation time: a key's role, owner and hash never change.
GRANT SELECT, INSERT ON api_keys TO tideover_app;
GRANT UPDATE (revoked_at) ON api_keys TO tideover_app;

CREATE TABLE audit_log (
	seq		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at		timestamptz NOT NULL DEFAULT now(),
	key_id		text,
	role		text,
	request_id	text NOT NULL,
	method		text NOT NULL,
	path		text NOT NULL,
	resource	text,
	outcome		integer NOT NULL
);

-- Append-only for the service.
GRANT SELECT, INSERT ON audit_log TO tideover_app;
