-- A supplier's paid_to_date and early_paid_to_date net of reversals.
-- They summed the postings of payment and early_payment transactions, so
-- a payment that was reversed still counted as paid. A reversal undoes an
-- invoice's latest money event and the invoice's row moves back with it,
-- in the same statement; so what stands is read from the invoices: the
-- payment of a paid invoice is what was outstanding at maturity (amount
-- less its advance), and the early payment of an advanced or paid one
-- its advance. receivable_outstanding and fees_to_date stay the balances
-- of the supplier's accounts.
CREATE OR REPLACE FUNCTION ledger_supplier_summary(p_supplier text,
    OUT receivable_outstanding bigint, OUT paid_to_date bigint,
    OUT early_paid_to_date bigint, OUT fees_to_date bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
	SELECT
	    coalesce((SELECT -balance FROM ledger_accounts
	        WHERE name = 'payable:supplier:' || p_supplier), 0),
	    coalesce((SELECT sum(amount - advance) FROM invoices
	        WHERE supplier_id = p_supplier AND status = 'paid'), 0)::bigint,
	    coalesce((SELECT sum(advance) FROM invoices
	        WHERE supplier_id = p_supplier
	        AND status IN ('advanced', 'paid')), 0)::bigint,
	    coalesce((SELECT balance FROM ledger_accounts
	        WHERE name = 'fees:supplier:' || p_supplier), 0)
$$;
