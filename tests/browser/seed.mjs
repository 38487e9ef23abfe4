// The browser tests' small data set, loaded through the public API with a
// treasury key: 14 suppliers in two regions and three tiers (so that the
// exposure tables have shown and suppressed groups), each tier 2 and 3
// selling to one customer a tier up, their open invoices,
// a three-announcement scenario with outage probabilities over those
// lengths and a later one, a scheme for all tiers, two stress runs
// (the first published), BT-03's purchase orders under an order-stage
// scheme (one open, one prepaid, one invoiced below its prepayment and
// trued up, so BT-03 owes some back), and one key per role plus a
// revoked one.
//
//   node tests/browser/seed.mjs http://127.0.0.1:PORT TREASURY_KEY

export async function seed(base, treasury) {
	async function call(method, path, body, key = treasury) {
		const res = await fetch(base + path, {
			method,
			headers: { Authorization: `Bearer ${key}`,
			    'Content-Type': 'application/json' },
			body: body === undefined ? undefined :
			    JSON.stringify(body),
		});
		const text = await res.text();
		if (!res.ok) {
			throw new Error(`${method} ${path}: ${res.status} ` +
			    text);
		}
		return text ? JSON.parse(text) : null;
	}

	const suppliers = [];
	for (let i = 0; i < 14; i++) {
		const tier = i < 4 ? 1 : (i < 10 ? 2 : 3);
		suppliers.push({
			id: `BT-${String(i + 1).padStart(2, '0')}`,
			name: `Browser Test Supplier ${i + 1}`,
			tier,
			region: i % 7 < 4 ? 'West Midlands' : 'Wales',
			sector: i % 2 ? 'castings' : 'electronics',
			employees: 8 + i * 23,
			currency: 'GBP',
			/*
			 * From £15,000 to £54,000: the poorest break even
			 * without an outage (the 60-day sales gap after
			 * restart), the richest survive 40 days of it.
			 */
			cash: 1500000 + 300000 * i,
			credit_available: 0,
			min_liquidity: 50000,
			fixed_daily_costs: 60000,
			oem_daily_sales: 150000,
			variable_cost_bps: 2000,
			other_daily_receipts: i % 3 === 0 ? 20000 : 0,
			payment_terms_days: 60,
			scheme_opt_in: i % 2 === 0,
		});
	}
	for (const s of suppliers)
		await call('POST', '/v1/suppliers', s);
	/*
	 * The network: each tier 2 sells to a tier 1, each tier 3 to a
	 * tier 2, so that a tier 1 short of cash pays its suppliers late.
	 */
	const links = [['05', '01'], ['06', '01'], ['07', '02'], ['08', '03'],
	    ['09', '03'], ['10', '04'], ['11', '05'], ['12', '06'],
	    ['13', '08'], ['14', '09']];
	for (const [sup, cust] of links)
		await call('PUT', `/v1/suppliers/BT-${sup}/customers/BT-${cust}`,
		    { daily_sales: 20000, payment_terms_days: 45 });
	for (const s of suppliers) {
		for (let k = 0; k < 2; k++) {
			await call('POST', '/v1/invoices', {
				id: `${s.id}-INV${k + 1}`,
				supplier_id: s.id,
				amount: 1500000 + 250000 * k,
				currency: 'GBP',
				issue_date: `2025-08-0${k + 1}`,
				due_date: `2025-${k ? '10-10' : '09-30'}`,
				status: 'approved',
			});
		}
	}
	await call('POST', '/v1/scenarios', {
		id: 'BT-SCN',
		name: 'Production stop, extended twice',
		start_date: '2025-09-01',
		horizon_days: 90,
		announcements: [
			{ announced_on: '2025-09-02', restart_date: '2025-09-08',
			    note: 'first stop' },
			{ announced_on: '2025-09-16', restart_date: '2025-09-24',
			    note: 'extended' },
			{ announced_on: '2025-09-23', restart_date: '2025-10-01',
			    note: 'extended again' },
		],
		outage_probabilities: [
			{ outage_days: 7, probability_bps: 1000 },
			{ outage_days: 23, probability_bps: 2500 },
			{ outage_days: 30, probability_bps: 4000 },
			{ outage_days: 40, probability_bps: 2500 },
		],
	});
	await call('POST', '/v1/schemes', {
		id: 'BT-ALL',
		name: 'All tiers from day one',
		effective_from: '2025-09-01',
		payment_lag_days: 2,
		advance_rate_bps: 9000,
		annual_rate_bps: 800,
		day_count_basis: 365,
		fee_bearer: 'oem',
		eligible_tiers: [1, 2, 3],
		requires_opt_in: false,
		facility_limit: 50000000,
	});
	const plain = await call('POST', '/v1/stress-runs', {
	    scenario_id: 'BT-SCN', scheme_id: null, max_outage_days: 40 });
	await call('POST', `/v1/stress-runs/${plain.id}/publish`, {});
	const scheme = await call('POST', '/v1/stress-runs', {
	    scenario_id: 'BT-SCN', scheme_id: 'BT-ALL', max_outage_days: 40 });

	/* After the runs, which read invoices but never orders. */
	await call('POST', '/v1/schemes', {
		id: 'BT-ORDER',
		name: 'Prepayment at order, true-up at invoice',
		effective_from: '2025-09-01',
		payment_lag_days: 0,
		advance_rate_bps: 8000,
		annual_rate_bps: 650,
		day_count_basis: 365,
		fee_bearer: 'oem',
		eligible_tiers: [1],
		requires_opt_in: false,
		basis: 'order',
		order_lead_days: 30,
		true_up_lag_days: 5,
	});
	for (const n of [1, 2, 3]) {
		await call('POST', '/v1/orders', { id: `BT-03-PO${n}`,
		    supplier_id: 'BT-03', amount: 1000000, currency: 'GBP',
		    order_date: '2025-09-10', delivery_date: '2025-09-30' });
	}
	for (const n of [2, 3]) {
		await call('POST', `/v1/orders/BT-03-PO${n}/prepayment`,
		    { scheme_id: 'BT-ORDER', paid_on: '2025-09-12' });
	}
	await call('POST', '/v1/invoices', { id: 'BT-03-PO3-INV',
	    supplier_id: 'BT-03', amount: 600000, currency: 'GBP',
	    issue_date: '2025-09-30', due_date: '2025-11-29',
	    status: 'approved', order_id: 'BT-03-PO3' });
	await call('POST', '/v1/invoices/BT-03-PO3-INV/true-up',
	    { paid_on: '2025-10-02' });

	const key = async (role, supplier) => (await call('POST',
	    '/v1/api-keys', { role, supplier_id: supplier, label:
	    `browser ${role}` })).key;
	const revoked = await call('POST', '/v1/api-keys', {
	    role: 'government', label: 'browser revoked' });
	await call('DELETE', `/v1/api-keys/${revoked.id}`);
	return {
		runs: { plain: plain.id, scheme: scheme.id },
		suppliers: suppliers.map((s) => s.id),
		keys: {
			treasury,
			government: await key('government'),
			supplier: await key('supplier', 'BT-03'),
			other: await key('supplier', 'BT-09'),
			revoked: revoked.key,
		},
		supplier: 'BT-03',
		otherSupplier: 'BT-09',
	};
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const f = await seed(process.argv[2], process.argv[3]);
	console.log(JSON.stringify(f, null, 1));
}
