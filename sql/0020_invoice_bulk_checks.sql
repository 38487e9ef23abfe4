-- The invoice table's checks, at a cost a million-row import can carry.
--
-- Two per-row checks took more than half of the time of an import of a
-- million invoices (and a unique index on order_id, which such invoices
-- leave NULL, a quarter of what remained: it becomes a partial index,
-- at the end):
--
-- The id's format, '^[A-Za-z0-9._-]{1,64}$': PostgreSQL's regular
-- expressions unroll a bounded repeat into that many states, about 4 us a
-- row. The same set of ids is an unbounded class and a length (every
-- character of the class is one byte), a tenth of the cost.
--
-- The supplier's foreign key: a constraint trigger per row, each an SPI
-- query and a key-share lock on the supplier, about 6 us a row. It gives
-- way to the same rule checked once per statement: an INSERT's new rows,
-- as a transition table, lock the suppliers they name (key share, as the
-- foreign key did, so that none is deleted or renamed until the commit)
-- and must all find theirs; an UPDATE that changes an invoice's supplier
-- (the service never does) checks that row. On the other side a supplier
-- cannot be deleted, renamed or truncated while an invoice names it. The
-- error is the foreign key's: SQLSTATE 23503 under the constraint's old
-- name. The checks run as the tables' owner, as a foreign key's do.

ALTER TABLE invoices DROP CONSTRAINT invoices_id_check;
ALTER TABLE invoices ADD CONSTRAINT invoices_id_check
    CHECK (id ~ '^[A-Za-z0-9._-]+$' AND octet_length(id) <= 64);

ALTER TABLE invoices DROP CONSTRAINT invoices_supplier_id_fkey;

CREATE FUNCTION invoices_supplier_missing(p_supplier text) RETURNS void
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
	RAISE EXCEPTION 'insert or update on table "invoices" violates '
	    'foreign key constraint "invoices_supplier_id_fkey"'
	    USING ERRCODE = 'foreign_key_violation',
	    DETAIL = format('Key (supplier_id)=(%s) is not present in table '
	    '"suppliers".', p_supplier),
	    CONSTRAINT = 'invoices_supplier_id_fkey', TABLE = 'invoices',
	    COLUMN = 'supplier_id';
END
$$;

-- The new rows are read once, for the suppliers they name; the lock and
-- the check are then on those few.
CREATE FUNCTION invoices_supplier_insert() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	named	text[];
	missing	text;
	n	bigint;
BEGIN
	SELECT array_agg(d.supplier_id) INTO named
	    FROM (SELECT DISTINCT supplier_id FROM invoices_new) d;
	PERFORM 1 FROM suppliers s WHERE s.id = ANY (named)
	    ORDER BY s.id FOR KEY SHARE OF s;
	GET DIAGNOSTICS n = ROW_COUNT;
	IF n < coalesce(cardinality(named), 0) THEN
		SELECT u.id INTO missing FROM unnest(named) AS u(id)
		    WHERE NOT EXISTS (SELECT 1 FROM suppliers s
		    WHERE s.id = u.id)
		    ORDER BY u.id LIMIT 1;
		PERFORM invoices_supplier_missing(missing);
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER invoices_supplier_insert AFTER INSERT ON invoices
    REFERENCING NEW TABLE AS invoices_new
    FOR EACH STATEMENT EXECUTE FUNCTION invoices_supplier_insert();

CREATE FUNCTION invoices_supplier_update() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
	PERFORM 1 FROM suppliers s WHERE s.id = NEW.supplier_id
	    FOR KEY SHARE OF s;
	IF NOT FOUND THEN
		PERFORM invoices_supplier_missing(NEW.supplier_id);
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER invoices_supplier_update AFTER UPDATE OF supplier_id
    ON invoices FOR EACH ROW
    WHEN (NEW.supplier_id IS DISTINCT FROM OLD.supplier_id)
    EXECUTE FUNCTION invoices_supplier_update();

CREATE FUNCTION suppliers_invoices_keep() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
	IF TG_OP = 'TRUNCATE' THEN
		IF NOT EXISTS (SELECT 1 FROM invoices) THEN
			RETURN NULL;
		END IF;
	ELSIF NOT EXISTS (SELECT 1 FROM invoices i
	    WHERE i.supplier_id = OLD.id) THEN
		RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
	END IF;
	RAISE EXCEPTION 'update or delete on table "suppliers" violates '
	    'foreign key constraint "invoices_supplier_id_fkey" on table '
	    '"invoices"'
	    USING ERRCODE = 'foreign_key_violation',
	    DETAIL = CASE TG_OP WHEN 'TRUNCATE' THEN
	    'Table "invoices" references table "suppliers".'
	    ELSE format('Key (id)=(%s) is still referenced from table '
	    '"invoices".', OLD.id) END,
	    CONSTRAINT = 'invoices_supplier_id_fkey', TABLE = 'suppliers';
END
$$;

CREATE TRIGGER suppliers_invoices_delete BEFORE DELETE ON suppliers
    FOR EACH ROW EXECUTE FUNCTION suppliers_invoices_keep();
CREATE TRIGGER suppliers_invoices_rename BEFORE UPDATE OF id ON suppliers
    FOR EACH ROW WHEN (NEW.id IS DISTINCT FROM OLD.id)
    EXECUTE FUNCTION suppliers_invoices_keep();
CREATE TRIGGER suppliers_invoices_truncate BEFORE TRUNCATE ON suppliers
    FOR EACH STATEMENT EXECUTE FUNCTION suppliers_invoices_keep();

REVOKE ALL ON FUNCTION invoices_supplier_missing, invoices_supplier_insert,
    invoices_supplier_update, suppliers_invoices_keep FROM PUBLIC;

-- An invoice's order is unique among the invoices that have one, which
-- imported invoices never do: the same rule as a partial index, so that
-- a million invoices without an order add nothing to it.
ALTER TABLE invoices DROP CONSTRAINT invoices_order_id_key;
CREATE UNIQUE INDEX invoices_order_id_key ON invoices (order_id)
    WHERE order_id IS NOT NULL;
