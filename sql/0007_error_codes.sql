-- The service's own error codes (SQLSTATE class TD), in one registry: every
-- code a database function raises to the service is a row here, with one
-- meaning. src/store/store_error.c maps the same codes to the store's enum;
-- a unit test checks that the two lists agree, and an API test that every
-- function in the database raises only registered codes.
--
-- TD011 meant two things: "append-only" (the journal's trigger, 0003) and
-- "no such scenario" (stress_run_begin, 0005 and 0006). The journal's
-- trigger now raises TD016.

CREATE TABLE error_codes (
	code		text COLLATE "C" PRIMARY KEY
			    CHECK (code ~ '^TD[0-9]{3}$'),
	meaning		text NOT NULL UNIQUE
);

INSERT INTO error_codes (code, meaning) VALUES
    ('TD001', 'the ledger head moved since it was read: read again and retry'),
    ('TD002', 'the invoice is not in the state the transition needs'),
    ('TD003', 'the idempotency key was used with another request'),
    ('TD004', 'a per-supplier cap or the facility limit would be exceeded'),
    ('TD005', 'no such invoice'),
    ('TD006', 'an invoice with this id exists with other fields'),
    ('TD010', 'a stored invariant would break: unbalanced or misnamed '
              'postings, or a change to an insert-only snapshot'),
    ('TD011', 'no such scenario'),
    ('TD012', 'no such scheme'),
    ('TD013', 'max_outage_days exceeds the scenario''s horizon'),
    ('TD014', 'the stress run is not open'),
    ('TD015', 'the stress run''s results do not fit its snapshot'),
    ('TD016', 'the journal is append-only');

GRANT SELECT ON error_codes TO tideover_app;

CREATE OR REPLACE FUNCTION ledger_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'the journal is append-only; post a reversal instead'
	    USING ERRCODE = 'TD016';
END
$$;
