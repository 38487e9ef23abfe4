-- Invoice numbers belong to their supplier. An invoice is identified by
-- (supplier_id, number), as every ERP keeps them, so two suppliers may
-- both have invoice INV-1 and neither can learn of the other's.
--
-- The journal names invoices by a global id, invoices.id, which stays
-- the primary key: an invoice created before this migration keeps its id
-- and its number is that id, so every sealed transaction still names the
-- invoice it named; a new invoice's id is its supplier's id, '~' and its
-- number. Neither a supplier id nor a number holds '~', so a global id
-- of that form names exactly one (supplier, number), and none of them is
-- an id of before.

ALTER TABLE invoices DROP CONSTRAINT invoices_id_check;
ALTER TABLE invoices ADD COLUMN number text COLLATE "C" NOT NULL
    GENERATED ALWAYS AS (CASE WHEN strpos(id, '~') > 0
    THEN substr(id, strpos(id, '~') + 1) ELSE id END) STORED;
-- Without a bounded repeat, which costs a million-row import dearly
-- (sql/0020_invoice_bulk_checks.sql): the supplier's id is 1 to 64 of
-- the class already.
ALTER TABLE invoices ADD CONSTRAINT invoices_id_check CHECK (
    id ~ '^[A-Za-z0-9._~-]+$' AND strpos(number, '~') = 0 AND
    number <> '' AND
    octet_length(number) <= 64 AND
    (strpos(id, '~') = 0 OR id = supplier_id || '~' || number));
-- One index for both: a supplier's number is unique, and treasury may
-- name an invoice by its number alone (the leading column).
CREATE UNIQUE INDEX invoices_number ON invoices (number, supplier_id);

-- The global id of the invoice a path names, or NULL: a global id (with
-- p_supplier, only if it is that supplier's); else, with p_supplier, the
-- supplier's invoice of that number; else the invoice with that global
-- id, or the one invoice of that number if only one supplier has it.
CREATE FUNCTION invoice_ref(p_ref text, p_supplier text) RETURNS text
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
	SELECT CASE
	WHEN strpos(p_ref, '~') > 0 THEN
		(SELECT i.id FROM invoices i WHERE i.id = p_ref AND
		    (p_supplier IS NULL OR i.supplier_id = p_supplier))
	WHEN p_supplier IS NOT NULL THEN
		(SELECT i.id FROM invoices i WHERE i.supplier_id = p_supplier
		    AND i.number = p_ref)
	ELSE coalesce((SELECT i.id FROM invoices i WHERE i.id = p_ref),
		(SELECT min(i.id) FROM invoices i WHERE i.number = p_ref
		    HAVING count(*) = 1))
	END
$$;

-- The global id an invoice of this supplier and number has, or will
-- have when it is created.
CREATE FUNCTION invoice_global_id(p_supplier text, p_number text)
    RETURNS text
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
	SELECT coalesce((SELECT i.id FROM invoices i
	    WHERE i.supplier_id = p_supplier AND i.number = p_number),
	    p_supplier || '~' || p_number)
$$;

REVOKE ALL ON FUNCTION invoice_ref, invoice_global_id FROM PUBLIC;
GRANT EXECUTE ON FUNCTION invoice_ref, invoice_global_id TO tideover_app;
