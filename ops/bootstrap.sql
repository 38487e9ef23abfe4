-- Roles and the migrations table, before any migration runs. The owner
-- role owns every table; the service logs in as tideover_app, which does
-- not own them and so can be denied UPDATE and DELETE where it matters.
DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tideover_owner') THEN
		CREATE ROLE tideover_owner NOLOGIN;
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tideover_app') THEN
		CREATE ROLE tideover_app LOGIN;
	END IF;
END
$$;

GRANT CREATE, USAGE ON SCHEMA public TO tideover_owner;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO tideover_app;

CREATE TABLE IF NOT EXISTS schema_migrations (
	version		integer PRIMARY KEY,
	name		text NOT NULL,
	applied_at	timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT ON schema_migrations TO tideover_app;
