// A supplier's view: its payment calendar under the published run
// (early payments and maturities by date, net of fees), its projected
// liquidity against its threshold with the breach date, its purchase
// orders with their prepayments and true-ups and what it owes back, and
// its liquidity declaration (PATCH, the API's 422 details beside the
// fields).
// Treasury sees the same page for any supplier; a supplier key asking
// for another supplier gets the API's 404 and nothing else.
import { api, ApiError, query } from '/js/api.js';
import { lineChart } from '/js/chart.js';
import { announce, clear, el, errorBox, figures, table } from '/js/dom.js';
import { date, epoch, money, moneyShort, parsePounds, poundsInput } from
    '/js/format.js';

const DECLARED = [
	{ key: 'cash', label: 'Cash on hand (£)', money: true,
	    help: 'May be negative for an overdraft.' },
	{ key: 'credit_available', label: 'Undrawn committed credit (£)',
	    money: true },
	{ key: 'fixed_daily_costs', label: 'Fixed costs per day (£)',
	    money: true, help: 'Payroll, rent, debt service.' },
	{ key: 'other_daily_receipts', label: 'Net receipts per day from ' +
	    'other customers (£)', money: true },
	{ key: 'scheme_opt_in', label: 'Take part in early-payment schemes ' +
	    'that need an opt-in', bool: true },
];

const KINDS = { maturity: 'At maturity', early: 'Early payment',
    remainder: 'Remainder at maturity', customer: 'From a customer',
    deep_tier: 'Advance on a customer\'s invoice',
    prepayment: 'Prepayment on an order', true_up: 'True-up on an invoice' };

const ORDER_STATUS = { open: 'Open', prepaid: 'Prepaid',
    invoiced: 'Invoiced', settled: 'Settled' };

export async function supplierView(main, s, id) {
	let sup;
	try {
		sup = await api(`/v1/suppliers/${encodeURIComponent(id)}`);
	} catch (e) {
		clear(main).append(el('h1', {}, 'Supplier not found'),
		    el('p', { id: 'not-found', role: 'alert' },
		    e.status === 404 ? 'There is no supplier with this id that ' +
		    'you may see.' : e.message));
		return;
	}
	const params = { run: '', outage_days: '' };
	const schedBox = el('div');
	const runIn = el('input', { id: 'sched-run', type: 'number', min: 1,
	    placeholder: 'latest published' });
	const lIn = el('input', { id: 'sched-outage', type: 'number', min: 0,
	    placeholder: 'latest announcement' });
	const controls = el('form', { class: 'controls', onsubmit: (ev) => {
		ev.preventDefault();
		params.run = runIn.value;
		params.outage_days = lIn.value;
		showSchedule(schedBox, sup, params);
	} }, s.role === 'treasury' ? el('label', { for: 'sched-run' }, 'Run',
	    runIn) : null, el('label', { for: 'sched-outage' },
	    'Outage length (days)', lIn), el('button', { type: 'submit' },
	    'Show'));

	const linksBox = el('div', { id: 'links' });
	const ordersBox = el('div', { id: 'orders-box' });
	clear(main).append(el('h1', {}, `${sup.name} (${sup.id})`),
	    el('p', { class: 'muted' }, `Tier ${sup.tier}, ${sup.region}, ` +
	    `${sup.sector}. Liquidity threshold ${money(sup.min_liquidity)}.`),
	    el('h2', {}, 'Payments and runway'), controls, schedBox,
	    el('h2', {}, 'Orders and prepayments'), ordersBox,
	    el('h2', {}, 'Customers and suppliers'), linksBox,
	    el('h2', {}, 'Liquidity declaration'), declaration(sup));
	await Promise.all([showSchedule(schedBox, sup, params),
	    showLinks(linksBox, sup), showOrders(ordersBox, sup)]);
}

/*
 * The firm's purchase orders from the ledger: what is open, what was
 * prepaid and trued up under an order-stage scheme, and what it owes
 * back when an invoice came in below its prepayment (netted from its
 * next order payments).
 */
async function showOrders(box, sup) {
	let orders;
	try {
		orders = await all('/v1/orders', { supplier_id: sup.id });
	} catch (e) {
		clear(box).append(errorBox(e));
		return;
	}
	const l = sup.ledger || {};
	const opt = (v) => v || '–';
	clear(box).append(
	    figures([
		['Open orders', String(orders.filter((o) => o.status ===
		    'open').length), 'open_orders', orders.filter((o) =>
		    o.status === 'open').length],
		['Prepaid, not yet invoiced', money(l.prepaid_outstanding ??
		    0), 'prepaid_outstanding', l.prepaid_outstanding ?? 0],
		['You owe back', money(l.owed_back ?? 0), 'owed_back',
		    l.owed_back ?? 0],
	    ], 'order-figures'),
	    l.owed_back > 0 ? el('p', { id: 'owed-back', class: 'note' },
	    `An invoice came in below its order's prepayment: you owe back ` +
	    `${money(l.owed_back)}. It is netted from your next payments ` +
	    '(true-ups and payments at maturity), not asked for in cash.') :
	    null,
	    orders.length ? table({ id: 'orders', caption: 'Your purchase ' +
	    'orders, their prepayments and true-ups', columns: [
		{ key: 'id', label: 'Order', rowHeader: true },
		{ key: 'delivery_date', label: 'Delivery', fmt: date },
		{ key: 'amount', label: 'Amount', num: true, fmt: money },
		{ key: 'status', label: 'Status',
		    fmt: (v) => ORDER_STATUS[v] || v },
		{ key: 'prepaid_on', label: 'Prepaid on',
		    fmt: (v) => (v ? date(v) : '–') },
		{ key: 'prepaid', label: 'Prepayment', num: true, fmt: money },
		{ key: 'invoice_id', label: 'Invoice', fmt: opt },
		{ key: 'true_up_on', label: 'Trued up on',
		    fmt: (v) => (v ? date(v) : '–') },
		{ key: 'true_up', label: 'True-up', num: true, fmt: money },
		{ key: 'owed_back', label: 'Owed back', num: true,
		    fmt: money },
	    ], rows: orders }) : el('p', { id: 'orders-none' },
	    'No purchase order of yours is in the ledger.'));
}

/* Every page of a list, for the firm's own links and orders. */
async function all(path, filter = {}) {
	const items = [];
	let cursor = null;
	do {
		const r = await api(`${path}${query({ ...filter, limit: 100,
		    cursor })}`);
		items.push(...r.items);
		cursor = r.next_cursor;
	} while (cursor);
	return items;
}

/* The firm's own links: whom it sells to, who sells to it. */
async function showLinks(box, sup) {
	const base = `/v1/suppliers/${encodeURIComponent(sup.id)}`;
	let customers, suppliers;
	try {
		[customers, suppliers] = await Promise.all([
		    all(`${base}/customers`), all(`${base}/suppliers`)]);
	} catch (e) {
		clear(box).append(errorBox(e));
		return;
	}
	const cols = (who, name) => [
		{ key: who, label: who === 'customer_id' ? 'Customer' :
		    'Supplier', rowHeader: true },
		{ key: name, label: 'Name' },
		{ key: 'daily_sales', label: 'Sales a day at full production',
		    num: true, fmt: money },
		{ key: 'payment_terms_days', label: 'Terms (days)', num: true },
	];
	clear(box).append(
	    el('p', { class: 'muted' }, 'The links treasury models for you: ' +
	    'what you sell to each customer and on what terms, and what ' +
	    'your own suppliers sell to you.'),
	    customers.length ? table({ id: 'customers', caption: 'Your ' +
	    'customers in the chain', columns: cols('customer_id',
	    'customer_name'), rows: customers }) : el('p', {
	    id: 'customers-none' }, 'No customer in the chain besides the ' +
	    'OEM.'),
	    suppliers.length ? table({ id: 'suppliers', caption: 'Your ' +
	    'suppliers in the chain', columns: cols('supplier_id',
	    'supplier_name'), rows: suppliers }) : el('p', {
	    id: 'suppliers-none' }, 'No supplier of yours is modelled.'));
}

async function showSchedule(box, sup, params) {
	let sc;
	try {
		sc = await api(`/v1/suppliers/${encodeURIComponent(sup.id)}` +
		    `/schedule${query(params)}`);
	} catch (e) {
		clear(box).append(errorBox(e.status === 404 ? new Error(
		    'No published stress run covers this supplier yet.') : e));
		return;
	}
	const chartBox = el('div', { class: 'chart', id: 'liquidity-chart' });
	const tot = (k) => sc.payments.reduce((a, p) => a + p[k], 0);
	const breach = sc.breach_date ? date(sc.breach_date) :
	    'none in the horizon';
	const fromCustomers = sc.payments.some((p) => p.customer_id);
	clear(box).append(
	    el('p', {}, `Under stress run ${sc.run_id}, with an outage of ` +
	    `${sc.outage_days} days.`),
	    sc.customers_pay_on_time ? el('p', { id: 'on-time-note',
	    class: 'note' }, 'This schedule assumes that your customers pay ' +
	    'you in full on the due day. How treasury models another firm\'s ' +
	    'cash is its own, so the figures here never show a customer ' +
	    'paying you late.') : null,
	    figures([
		['Breach date', breach, 'breach_date', sc.breach_date],
		['Lowest liquidity', money(sc.lowest_liquidity),
		    'lowest_liquidity', sc.lowest_liquidity],
		['Lowest on', date(sc.lowest_liquidity_date),
		    'lowest_liquidity_date', sc.lowest_liquidity_date],
		['Funding gap', money(sc.funding_gap), 'funding_gap',
		    sc.funding_gap],
	    ], 'schedule-figures'),
	    table({
		id: 'payments',
		caption: 'Payment calendar: what you will be paid, and when',
		columns: [
			{ key: 'date', label: 'Date', fmt: date,
			    rowHeader: true },
			{ key: 'invoice_id', label: 'Invoice',
			    fmt: (v) => v || '–' },
			{ key: 'kind', label: 'Kind',
			    fmt: (v) => KINDS[v] || v },
			...(fromCustomers ? [{ key: 'customer_id',
			    label: 'Customer', fmt: (v) => v || '–' }] : []),
			{ key: 'gross', label: 'Gross', num: true, fmt: money },
			{ key: 'fee', label: 'Fee', num: true, fmt: money },
			{ key: 'net', label: 'Net to you', num: true,
			    fmt: money },
		],
		rows: sc.payments,
		footer: el('tr', {}, el('th', { scope: 'row',
		    colspan: fromCustomers ? 4 : 3 },
		    'Total'), el('td', { class: 'num', 'data-key': 'gross' },
		    money(tot('gross'))), el('td', { class: 'num',
		    'data-key': 'fee' }, money(tot('fee'))), el('td', {
		    class: 'num', 'data-key': 'net' }, money(tot('net')))),
	    }),
	    el('h2', {}, 'Projected liquidity'),
	    el('p', { class: 'muted' }, 'Cash plus undrawn credit, day by ' +
	    'day; the dashed line is your threshold' + (sc.breach_date ?
	    ', the marker the day liquidity first falls below it.' : '.')),
	    chartBox,
	    el('details', {}, el('summary', {}, 'The chart\'s data as a table'),
	    table({ id: 'liquidity', caption: 'Projected liquidity by date',
	    columns: [{ key: 'date', label: 'Date', fmt: date,
	    rowHeader: true }, { key: 'liquidity', label: 'Liquidity',
	    num: true, fmt: money }], rows: sc.liquidity })));
	const x = sc.liquidity.map((p) => epoch(p.date));
	lineChart(chartBox, {
		x, time: true,
		series: [
			{ label: 'Liquidity', values: sc.liquidity.map((p) =>
			    p.liquidity) },
			{ label: 'Threshold', colour: '#b42318', dash: [6, 4],
			    values: x.map(() => sup.min_liquidity) },
		],
		markers: sc.breach_date ? [{ x: epoch(sc.breach_date),
		    label: `Breach ${date(sc.breach_date)}`,
		    colour: '#b42318' }] : [],
		xLabel: 'Date',
		xAxis: (u, vals) => vals.map((v) => new Date(v * 1000)
		    .toLocaleDateString('en-GB', { day: 'numeric',
		    month: 'short', timeZone: 'UTC' })),
		xValue: (u, v) => (v === null ? '–' : date(new Date(v * 1000)
		    .toISOString())),
		yLabel: 'Liquidity',
		yFmt: money,
		yAxis: moneyShort,
	});
}

function declaration(sup) {
	const inputs = {};
	const errors = {};
	const result = el('p', { role: 'status', id: 'decl-result' });
	const rows = DECLARED.map((f) => {
		const errId = `err-${f.key}`;
		errors[f.key] = el('p', { class: 'field-error', id: errId });
		if (f.bool) {
			inputs[f.key] = el('input', { type: 'checkbox',
			    id: `f-${f.key}`, name: f.key,
			    'aria-describedby': errId });
			inputs[f.key].checked = !!sup[f.key];
			return el('div', {}, el('label', {}, inputs[f.key], ' ',
			    f.label), errors[f.key]);
		}
		inputs[f.key] = el('input', { type: 'text', inputmode: 'decimal',
		    id: `f-${f.key}`, name: f.key, value: poundsInput(sup[f.key]),
		    'aria-describedby': `${errId} help-${f.key}` });
		return el('div', {}, el('label', { for: `f-${f.key}` }, f.label),
		    inputs[f.key], f.help ? el('p', { class: 'muted',
		    id: `help-${f.key}` }, f.help) : null, errors[f.key]);
	});
	const form = el('form', { class: 'decl', id: 'declaration',
	    novalidate: true, onsubmit: async (ev) => {
		ev.preventDefault();
		for (const k of Object.keys(errors)) {
			errors[k].textContent = '';
			inputs[k].removeAttribute('aria-invalid');
		}
		result.textContent = '';
		const body = {};
		for (const f of DECLARED) {
			if (f.bool) {
				body[f.key] = inputs[f.key].checked;
				continue;
			}
			/* Not money: send it as typed, the API says why. */
			const p = parsePounds(inputs[f.key].value);
			body[f.key] = p === null ? inputs[f.key].value : p;
		}
		try {
			const r = await api(`/v1/suppliers/${encodeURIComponent(
			    sup.id)}`, { method: 'PATCH', body });
			Object.assign(sup, r);
			result.className = 'ok';
			result.textContent = 'Saved. The next stress run will use ' +
			    'these figures.';
			announce('Declaration saved');
		} catch (e) {
			result.className = 'error';
			if (e instanceof ApiError && e.status === 422) {
				result.textContent = 'Not saved: see the fields ' +
				    'marked below.';
				for (const d of e.details) {
					if (!errors[d.field])
						continue;
					errors[d.field].textContent = d.problem;
					inputs[d.field].setAttribute(
					    'aria-invalid', 'true');
				}
			} else {
				result.textContent = `Not saved: ${e.message}`;
			}
		}
	} }, el('p', { class: 'muted' }, 'Keep these current: treasury\'s ' +
	    'stress runs use them. Amounts in pounds.'), rows,
	    el('p', {}, el('button', { type: 'submit' },
	    'Save declaration')), result);
	return form;
}
