-- Writes of the supply network through the API: one link created or
-- replaced, one deleted, and an import of many, each one statement for
-- the service (one function call), so a change and its link_history row
-- commit together, with the key and request that made it.
--
-- As for suppliers, the functions run with the caller's rights, so the
-- grants decide what the service may touch. A link's pair never changes
-- and its timestamps are the database's: the service may insert only the
-- pair and its figures, and update only the figures and updated_at.

REVOKE INSERT, UPDATE ON links FROM tideover_app;
GRANT INSERT (supplier_id, customer_id, daily_sales, payment_terms_days)
    ON links TO tideover_app;
GRANT UPDATE (daily_sales, payment_terms_days, updated_at) ON links
    TO tideover_app;

-- Create or replace the link from p_supplier to p_customer. outcome is
-- 'created', 'replaced', 'identical' (nothing written), 'no_supplier' or
-- 'no_customer' (nothing written, link NULL); link is the row as it is.
-- A self-link is refused by the table; the service checks first.
CREATE FUNCTION link_put(p_supplier text, p_customer text,
    p_daily_sales bigint, p_payment_terms_days integer, p_key_id text,
    p_request_id text, OUT outcome text, OUT link links)
LANGUAGE plpgsql AS $$
DECLARE
	o	links;
BEGIN
	-- Suppliers are never deleted: once seen, they stay.
	IF NOT EXISTS (SELECT 1 FROM suppliers WHERE id = p_supplier) THEN
		outcome := 'no_supplier';
		RETURN;
	END IF;
	IF NOT EXISTS (SELECT 1 FROM suppliers WHERE id = p_customer) THEN
		outcome := 'no_customer';
		RETURN;
	END IF;
	LOOP
		SELECT * INTO o FROM links
		WHERE supplier_id = p_supplier AND customer_id = p_customer
		FOR UPDATE;
		IF FOUND THEN
			IF o.daily_sales = p_daily_sales AND
			    o.payment_terms_days = p_payment_terms_days THEN
				outcome := 'identical';
				link := o;
				RETURN;
			END IF;
			UPDATE links SET daily_sales = p_daily_sales,
			    payment_terms_days = p_payment_terms_days,
			    updated_at = now()
			WHERE supplier_id = p_supplier AND
			    customer_id = p_customer
			RETURNING * INTO link;
			INSERT INTO link_history (supplier_id, customer_id,
			    key_id, request_id, old_daily_sales,
			    old_payment_terms_days, new_daily_sales,
			    new_payment_terms_days)
			VALUES (p_supplier, p_customer, p_key_id, p_request_id,
			    o.daily_sales, o.payment_terms_days, p_daily_sales,
			    p_payment_terms_days);
			outcome := 'replaced';
			RETURN;
		END IF;
		INSERT INTO links (supplier_id, customer_id, daily_sales,
		    payment_terms_days)
		VALUES (p_supplier, p_customer, p_daily_sales,
		    p_payment_terms_days)
		ON CONFLICT DO NOTHING
		RETURNING * INTO link;
		IF FOUND THEN
			INSERT INTO link_history (supplier_id, customer_id,
			    key_id, request_id, new_daily_sales,
			    new_payment_terms_days)
			VALUES (p_supplier, p_customer, p_key_id, p_request_id,
			    p_daily_sales, p_payment_terms_days);
			outcome := 'created';
			RETURN;
		END IF;
		-- A concurrent creator committed first; the next look sees it.
	END LOOP;
END
$$;

-- Delete one link, keeping what it was. false: there was no such link.
CREATE FUNCTION link_delete(p_supplier text, p_customer text,
    p_key_id text, p_request_id text) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
	o	links;
BEGIN
	DELETE FROM links
	WHERE supplier_id = p_supplier AND customer_id = p_customer
	RETURNING * INTO o;
	IF NOT FOUND THEN
		RETURN false;
	END IF;
	INSERT INTO link_history (supplier_id, customer_id, key_id,
	    request_id, old_daily_sales, old_payment_terms_days)
	VALUES (p_supplier, p_customer, p_key_id, p_request_id,
	    o.daily_sales, o.payment_terms_days);
	RETURN true;
END
$$;

-- Upsert a whole import of links, all or nothing. p_rows is a jsonb
-- array of {line, supplier_id, customer_id, daily_sales,
-- payment_terms_days}, validated by the service: distinct pairs, no
-- self-link, figures in range. When an end names no supplier, one row
-- (line, field) per such end comes back and nothing is written.
-- Otherwise one row (NULL, NULL, created, updated): new pairs are
-- inserted first, in pair order as every writer locks; the rest, existing
-- by then, are locked in pair order and changed where they differ. A
-- link that is in the file with the figures it has counts as updated but
-- keeps its updated_at and gets no history row, as a supplier does.
CREATE FUNCTION link_import(p_rows jsonb, p_key_id text, p_request_id text)
RETURNS TABLE (o_line integer, o_field text, o_created bigint,
    o_updated bigint)
LANGUAGE plpgsql AS $$
DECLARE
	created	bigint;
	rest	integer[];
BEGIN
	RETURN QUERY
	SELECT r.line, e.field, NULL::bigint, NULL::bigint
	FROM jsonb_to_recordset(p_rows) AS r(line integer, supplier_id text,
	    customer_id text)
	CROSS JOIN LATERAL (VALUES (1, 'supplier_id', r.supplier_id),
	    (2, 'customer_id', r.customer_id)) AS e(k, field, id)
	LEFT JOIN suppliers s ON s.id = e.id
	WHERE s.id IS NULL
	ORDER BY r.line, e.k;
	IF FOUND THEN
		RETURN;
	END IF;

	WITH r AS (
		SELECT * FROM jsonb_to_recordset(p_rows) AS x(line integer,
		    supplier_id text, customer_id text, daily_sales bigint,
		    payment_terms_days integer)
	), ins AS (
		INSERT INTO links (supplier_id, customer_id, daily_sales,
		    payment_terms_days)
		SELECT r.supplier_id, r.customer_id, r.daily_sales,
		    r.payment_terms_days
		FROM r ORDER BY r.supplier_id COLLATE "C",
		    r.customer_id COLLATE "C"
		ON CONFLICT DO NOTHING
		RETURNING supplier_id, customer_id, daily_sales,
		    payment_terms_days
	), hist AS (
		INSERT INTO link_history (supplier_id, customer_id, key_id,
		    request_id, new_daily_sales, new_payment_terms_days)
		SELECT i.supplier_id, i.customer_id, p_key_id, p_request_id,
		    i.daily_sales, i.payment_terms_days
		FROM ins i ORDER BY i.supplier_id, i.customer_id
	)
	SELECT (SELECT count(*) FROM ins),
	    (SELECT coalesce(array_agg(r.line), '{}') FROM r
	    LEFT JOIN ins ON ins.supplier_id = r.supplier_id AND
	        ins.customer_id = r.customer_id
	    WHERE ins.supplier_id IS NULL)
	INTO created, rest;
	IF cardinality(rest) > 0 THEN
		-- The rest exist now: lock them in pair order, then change
		-- those that differ and keep what they were.
		PERFORM 1 FROM links l
		JOIN jsonb_to_recordset(p_rows) AS x(line integer,
		    supplier_id text, customer_id text)
		    ON x.supplier_id = l.supplier_id AND
		    x.customer_id = l.customer_id
		JOIN unnest(rest) AS k(line) ON k.line = x.line
		ORDER BY l.supplier_id, l.customer_id
		FOR UPDATE OF l;

		WITH d AS MATERIALIZED (
			SELECT x.supplier_id, x.customer_id, x.daily_sales,
			    x.payment_terms_days,
			    l.daily_sales AS old_daily_sales,
			    l.payment_terms_days AS old_payment_terms_days
			FROM jsonb_to_recordset(p_rows) AS x(line integer,
			    supplier_id text, customer_id text,
			    daily_sales bigint, payment_terms_days integer)
			JOIN unnest(rest) AS k(line) ON k.line = x.line
			JOIN links l ON l.supplier_id = x.supplier_id AND
			    l.customer_id = x.customer_id
			WHERE (l.daily_sales, l.payment_terms_days) IS DISTINCT
			    FROM (x.daily_sales, x.payment_terms_days)
		), hist AS (
			INSERT INTO link_history (supplier_id, customer_id,
			    key_id, request_id, old_daily_sales,
			    old_payment_terms_days, new_daily_sales,
			    new_payment_terms_days)
			SELECT d.supplier_id, d.customer_id, p_key_id,
			    p_request_id, d.old_daily_sales,
			    d.old_payment_terms_days, d.daily_sales,
			    d.payment_terms_days
			FROM d ORDER BY d.supplier_id COLLATE "C",
			    d.customer_id COLLATE "C"
		)
		UPDATE links l SET daily_sales = d.daily_sales,
		    payment_terms_days = d.payment_terms_days,
		    updated_at = now()
		FROM d
		WHERE l.supplier_id = d.supplier_id AND
		    l.customer_id = d.customer_id;
	END IF;
	RETURN QUERY SELECT NULL::integer, NULL::text, created,
	    cardinality(rest)::bigint;
END
$$;

REVOKE ALL ON FUNCTION link_put, link_delete, link_import FROM PUBLIC;
GRANT EXECUTE ON FUNCTION link_put, link_delete, link_import TO tideover_app;
