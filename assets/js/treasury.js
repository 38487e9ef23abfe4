// Treasury's views: the stress runs, and one run's curve (several runs
// overlaid), its outage probabilities marked on it with the expected
// figures they give, its figures at an outage length, the suppliers at
// risk there (paginated through the API's cursors, CSV, in the order of
// breach date or of breach probability), and publishing.
import { api, csvAll, query } from '/js/api.js';
import { lineChart } from '/js/chart.js';
import { announce, clear, download, el, errorBox, figures, table } from
    '/js/dom.js';
import { date, dateTime, money, moneyShort, num, pct } from
    '/js/format.js';
import { sizingSection } from '/js/sizing.js';

const PAGE = 20;
const PAGE_SIZES = [5, 20, 50, 100];

/* The expected figures of a run with outage probabilities. */
const EXPECTED = [
	{ key: 'suppliers_below', label: 'Expected suppliers below threshold',
	    fmt: num },
	{ key: 'employees_at_risk', label: 'Expected employees at risk',
	    fmt: num },
	{ key: 'funding_gap', label: 'Expected funding gap', fmt: money },
	{ key: 'oem_cost', label: 'Expected cost to the OEM', fmt: money },
];

const RISK_SORTS = [
	['breach_day', 'Breach date, earliest first'],
	['breach_probability', 'Breach probability, highest first'],
];

const METRICS = [
	{ key: 'suppliers_below', label: 'Suppliers below threshold',
	    fmt: num, axis: num },
	{ key: 'employees_at_risk', label: 'Employees at risk', fmt: num,
	    axis: num },
	{ key: 'funding_gap', label: 'Funding gap', fmt: money,
	    axis: moneyShort },
	{ key: 'peak_facility_use', label: 'Peak facility use', fmt: money,
	    axis: moneyShort },
	{ key: 'oem_cost', label: 'Scheme cost to the OEM', fmt: money,
	    axis: moneyShort },
	{ key: 'early_paid', label: 'Paid early', fmt: money,
	    axis: moneyShort },
	{ key: 'fees', label: 'Fees', fmt: money, axis: moneyShort },
];

/* The supply network's figures: runs made on links carry them. */
const NETWORK_METRICS = [
	{ key: 'suppliers_below_contagion', label: 'Below by contagion ' +
	    '(customers paying late)', fmt: num, axis: num },
	{ key: 'overdue_trade_credit', label: 'Overdue trade credit',
	    fmt: money, axis: moneyShort },
	{ key: 'funder_overdue', label: 'Owed to the funder, overdue',
	    fmt: money, axis: moneyShort },
];

function networkRun(run) {
	return run.curve.length > 0 &&
	    run.curve[0].suppliers_below_contagion !== undefined;
}

function metricsOf(run) {
	return networkRun(run) ? [...METRICS, ...NETWORK_METRICS] : METRICS;
}

function runName(r) {
	return `Run ${r.id}: ${r.scenario_id}, ` +
	    (r.scheme_id ? `scheme ${r.scheme_id}` : 'no scheme');
}

/* A list page that follows next_cursor, with a way back. */
function pager(load, render, box) {
	const stack = [];
	let current = null;
	async function show(cursor) {
		let body;
		try {
			body = await load(cursor);
		} catch (e) {
			clear(box).append(errorBox(e));
			return;
		}
		current = cursor;
		const prev = el('button', { type: 'button', class: 'prev',
		    disabled: stack.length === 0, onclick: () =>
		    show(stack.pop()) }, 'Previous page');
		const next = el('button', { type: 'button', class: 'next',
		    disabled: !body.next_cursor, onclick: () => {
			stack.push(current);
			show(body.next_cursor);
		} }, 'Next page');
		clear(box).append(render(body.items), el('div', {
		    class: 'pager' }, prev, next, el('span', { class: 'muted' },
		    `Page ${stack.length + 1}`)));
	}
	return show(null);
}

export async function runList(main) {
	const box = el('div');
	clear(main).append(el('h1', {}, 'Stress runs'), el('p', {
	    class: 'muted' }, 'Each run models every outage length from 0 to ' +
	    'its maximum on a snapshot of the data when it was made. Open one ' +
	    'to see its curve and the suppliers at risk.'), box);
	await pager((cursor) => api(`/v1/stress-runs${query({ limit: PAGE,
	    cursor })}`), (items) => table({
		id: 'runs',
		caption: 'Stress runs, newest first',
		columns: [
			{ key: 'id', label: 'Run', rowHeader: true,
			    fmt: (v) => el('a', { href: `#/runs/${v}` },
			    `Run ${v}`) },
			{ key: 'scenario_id', label: 'Scenario' },
			{ key: 'scheme_id', label: 'Scheme',
			    fmt: (v) => v || 'none' },
			{ key: 'max_outage_days', label: 'Outage lengths',
			    num: true, fmt: (v) => `0–${v} days` },
			{ key: 'created_at', label: 'Made', fmt: dateTime },
			{ key: 'published', label: 'Published',
			    fmt: (v) => (v ? 'yes' : 'no') },
		],
		rows: items,
	}), box);
}

export async function runView(main, s, id) {
	let run, others;
	try {
		[run, others] = await Promise.all([
			api(`/v1/stress-runs/${id}`),
			api('/v1/stress-runs?limit=100'),
		]);
	} catch (e) {
		clear(main).append(el('h1', {}, `Run ${id}`), errorBox(e));
		return;
	}
	const metrics = metricsOf(run);
	const net = networkRun(run);
	const state = {
		metric: metrics[0],
		contagionOnly: false,
		compare: new Map(),	/* id -> run with its curve */
		L: defaultL(run),
		page: PAGE,
		sort: 'breach_day',
	};
	const probs = run.outage_probabilities || [];

	const publishBox = el('div');
	const chartBox = el('div', { class: 'chart', id: 'curve-chart' });
	const splitBox = el('div', { class: 'chart', id: 'contagion-chart' });
	const splitTable = el('div');
	const chartTable = el('div');
	const figBox = el('div');
	const tierBox = el('div');
	const riskBox = el('div');
	const probBox = el('div');

	function renderPublish() {
		clear(publishBox).append(run.published ?
		    el('p', {}, el('span', { class: 'badge ok', id: 'published' },
		    'Published'), ' Suppliers and government can see it.') :
		    el('p', {}, el('span', { class: 'badge', id: 'published' },
		    'Not published'), ' ', el('button', { type: 'button',
		    id: 'publish', onclick: publish },
		    'Publish to suppliers and government')));
	}
	async function publish() {
		try {
			await api(`/v1/stress-runs/${id}/publish`, {
			    method: 'POST', body: {} });
			run.published = true;
			renderPublish();
			announce(`Run ${id} published`);
		} catch (e) {
			publishBox.append(errorBox(e));
		}
	}

	function shownRuns() {
		return [run, ...state.compare.values()];
	}

	function renderChart() {
		const runs = shownRuns();
		const maxL = Math.max(...runs.map((r) => r.max_outage_days));
		const x = Array.from({ length: maxL + 1 }, (_, i) => i);
		const m = state.metric;
		const series = runs.map((r) => ({
			label: r === run ? `Run ${r.id}` + (r.scheme_id ?
			    ` (${r.scheme_id})` : ' (no scheme)') :
			    `Run ${r.id}` + (r.scheme_id ? ` (${r.scheme_id})` :
			    ' (no scheme)'),
			values: x.map((L) => {
				const p = r.curve.find((c) => c.outage_days ===
				    L);
				return p ? p[m.key] : null;
			}),
		}));
		const markers = [...(run.announcements || []).map((a) => ({
			x: a.outage_days,
			label: `${date(a.announced_on)}: restart ` +
			    `${date(a.restart_date)}`,
		})), ...probs.map((p) => ({
			x: p.outage_days,
			label: `${pct(p.probability_bps)} likely`,
			colour: '#a15c00',
			bottom: true,
		}))];
		clear(chartBox);
		lineChart(chartBox, {
			x, series, markers,
			xLabel: 'Outage length (days)',
			xValue: (u, v) => (v === null ? '–' : `${v} days`),
			xAxis: (u, vals) => vals.map((v) => `${v}`),
			yLabel: m.label,
			yFmt: m.fmt,
			yAxis: m.axis,
		});
		const cols = [{ key: 'outage_days', label: 'Outage length (days)',
		    num: true, rowHeader: true }];
		runs.forEach((r, i) => cols.push({ key: `r${i}`, label:
		    `${m.label}, run ${r.id}`, num: true, fmt: m.fmt }));
		const rows = x.map((L, j) => {
			const row = { outage_days: L };
			series.forEach((sr, i) => {
				row[`r${i}`] = sr.values[j];
			});
			return row;
		});
		clear(chartTable).append(el('details', {},
		    el('summary', {}, 'The chart\'s data as a table'),
		    table({ id: 'curve-data', caption: `${m.label} by outage ` +
		    'length', columns: cols, rows })),
		    el('details', {}, el('summary', {},
		    `Every figure of run ${run.id} by outage length`),
		    table({ id: 'curve-all', caption: `Run ${run.id}: the ` +
		    'curve', columns: [{ key: 'outage_days', label: 'Outage ' +
		    'length (days)', num: true, rowHeader: true },
		    ...metrics.map((mm) => ({ key: mm.key, label: mm.label,
		    num: true, fmt: mm.fmt }))], rows: run.curve })));
	}

	/*
	 * Suppliers below threshold split in two, stacked: those whose own
	 * position breaks them (direct) and those that breach only because
	 * their customers pay them late (contagion, the band above).
	 */
	function renderSplit() {
		if (!net)
			return;
		const x = run.curve.map((c) => c.outage_days);
		const direct = run.curve.map((c) => c.suppliers_below -
		    c.suppliers_below_contagion);
		const all = run.curve.map((c) => c.suppliers_below);
		clear(splitBox);
		lineChart(splitBox, {
			x,
			series: [
				{ label: 'Below threshold, in all (the band ' +
				    'above direct: by contagion)', values: all,
				    colour: '#c4320a', fill: '#c4320a33' },
				{ label: 'Below directly', values: direct,
				    colour: '#0b5cad', fill: '#0b5cad55' },
			],
			markers: (run.announcements || []).map((a) => ({
			    x: a.outage_days, label: `restart ` +
			    `${date(a.restart_date)}` })),
			xLabel: 'Outage length (days)',
			xValue: (u, v) => (v === null ? '–' : `${v} days`),
			xAxis: (u, vals) => vals.map((v) => `${v}`),
			yLabel: 'Suppliers below threshold',
			yFmt: num,
			yAxis: num,
			yFromZero: true,
		});
		clear(splitTable).append(el('details', {}, el('summary', {},
		    'Direct and contagion breaches as a table'), table({
			id: 'contagion-data',
			caption: 'Suppliers below threshold by outage length: ' +
			    'direct and by contagion',
			columns: [
				{ key: 'outage_days', label: 'Outage length ' +
				    '(days)', num: true, rowHeader: true },
				{ key: 'direct', label: 'Below directly',
				    num: true, fmt: num },
				{ key: 'contagion', label: 'Below by contagion',
				    num: true, fmt: num },
				{ key: 'all', label: 'Below in all', num: true,
				    fmt: num },
			],
			rows: run.curve.map((c, i) => ({
			    outage_days: c.outage_days, direct: direct[i],
			    contagion: c.suppliers_below_contagion,
			    all: all[i] })),
		})));
	}

	/*
	 * The outage probabilities: each length's probability beside the
	 * chosen figure of the curve there, what it adds to the expected
	 * figure, and the expected figures themselves.
	 */
	function renderProbabilities() {
		if (!probs.length || !run.expected)
			return;
		const m = state.metric;
		const rows = probs.slice().sort((a, b) => a.outage_days -
		    b.outage_days).map((p) => {
			const c = run.curve.find((x) => x.outage_days ===
			    p.outage_days);
			return { outage_days: p.outage_days,
			    probability_bps: p.probability_bps,
			    value: c ? c[m.key] : null };
		});
		clear(probBox).append(
		    el('p', { class: 'muted' }, 'What the board believes ' +
		    'about the restart, marked on the curve above: the ' +
		    'expected figures weigh each outage length by its ' +
		    'probability.'),
		    figures(EXPECTED.map((e) => [e.label,
		    e.fmt(run.expected[e.key]), e.key, run.expected[e.key]]),
		    'expected'),
		    table({
			id: 'outage-probabilities',
			caption: `Outage probabilities, with ${m.label
			    .toLowerCase()} at each length`,
			columns: [
				{ key: 'outage_days', label: 'Outage length ' +
				    '(days)', num: true, rowHeader: true },
				{ key: 'probability_bps', label: 'Probability',
				    num: true, fmt: pct },
				{ key: 'value', label: m.label, num: true,
				    fmt: m.fmt },
			],
			rows,
		    }));
	}

	function renderFigures() {
		const p = run.curve.find((c) => c.outage_days === state.L);
		clear(figBox);
		if (!p)
			return;
		figBox.append(figures(metrics.map((mm) => [mm.label,
		    mm.fmt(p[mm.key]), mm.key, p[mm.key]]), 'figures'));
	}

	/* The run's figures per tier at L (treasury: every figure). */
	async function renderTiers() {
		const L = state.L;
		let t;
		try {
			t = await api(`/v1/stress-runs/${id}/tiers${query({
			    outage_days: L })}`);
		} catch (e) {
			clear(tierBox).append(errorBox(e));
			return;
		}
		clear(tierBox).append(table({
			id: 'run-tiers',
			caption: `Per tier at ${L} days of outage`,
			columns: [
				{ key: 'tier', label: 'Tier', rowHeader: true,
				    fmt: (v) => `Tier ${v}` },
				{ key: 'suppliers', label: 'Suppliers',
				    num: true, fmt: num },
				{ key: 'suppliers_below', label: 'Below ' +
				    'threshold', num: true, fmt: num },
				...(net ? [{ key: 'suppliers_below_contagion',
				    label: 'by contagion', num: true,
				    fmt: num }] : []),
				{ key: 'employees_at_risk', label: 'Employees ' +
				    'at risk', num: true, fmt: num },
				{ key: 'funding_gap', label: 'Funding gap',
				    num: true, fmt: money },
				...(net ? [{ key: 'overdue_trade_credit',
				    label: 'Overdue trade credit', num: true,
				    fmt: money }] : []),
			],
			rows: t.tiers,
		}));
	}

	async function renderRisk() {
		const path = `/v1/stress-runs/${id}/suppliers`;
		const L = state.L;
		const filter = { outage_days: L, below: 'true',
		    contagion: state.contagionOnly ? 'true' : undefined,
		    sort: state.sort === 'breach_day' ? undefined : state.sort };
		const csv = el('button', { type: 'button', id: 'risk-csv',
		    onclick: async () => {
			try {
				download(`run-${id}-at-risk-${L}d.csv`,
				    await csvAll(`${path}${query(filter)}`));
			} catch (e) {
				riskBox.append(errorBox(e));
			}
		} }, 'Download CSV (every page)');
		const tbl = el('div');
		const size = el('select', { id: 'page-size', onchange: () => {
			state.page = Number(size.value);
			renderRisk();
		} }, PAGE_SIZES.map((n) => el('option', { value: n,
		    selected: n === state.page }, String(n))));
		const only = net ? el('label', { for: 'contagion-only' },
		    el('input', { type: 'checkbox', id: 'contagion-only',
		    checked: state.contagionOnly, onchange: (ev) => {
			state.contagionOnly = ev.target.checked;
			renderRisk();
		} }), 'Only those below by contagion') : '';
		const order = probs.length ? el('label', { for: 'risk-sort' },
		    'Order', el('select', { id: 'risk-sort', onchange: (ev) => {
			state.sort = ev.target.value;
			renderRisk();
		} }, RISK_SORTS.map(([v, l]) => el('option', { value: v,
		    selected: v === state.sort }, l)))) : '';
		clear(riskBox).append(el('div', { class: 'controls' },
		    el('label', { for: 'page-size' }, 'Rows per page', size),
		    order, only, csv), tbl);
		await pager((cursor) => api(`${path}${query({ ...filter,
		    limit: state.page, cursor })}`), (items) =>
		    table({
			id: 'at-risk',
			caption: `Suppliers below threshold at ${L} days of ` +
			    'outage' + (state.contagionOnly ? ', by contagion' :
			    '') + (state.sort === 'breach_probability' ?
			    ', most likely to breach first' : '') +
			    ' (sort applies to this page)',
			sortable: true,
			columns: [
				{ key: 'supplier_id', label: 'Supplier',
				    rowHeader: true, fmt: (v) => el('a', {
				    href: `#/supplier/${encodeURIComponent(v)}` },
				    v) },
				{ key: 'name', label: 'Name' },
				{ key: 'tier', label: 'Tier', num: true },
				{ key: 'region', label: 'Region' },
				{ key: 'sector', label: 'Sector' },
				{ key: 'employees', label: 'Employees',
				    num: true, fmt: num },
				{ key: 'breach_date', label: 'Breach date',
				    fmt: date },
				{ key: 'lowest_liquidity', label: 'Lowest ' +
				    'liquidity', num: true, fmt: money },
				{ key: 'funding_gap', label: 'Funding gap',
				    num: true, fmt: money },
				{ key: 'early_paid', label: 'Paid early',
				    num: true, fmt: money },
				{ key: 'fees', label: 'Fees', num: true,
				    fmt: money },
				{ key: 'breaks_at_outage_days', label: 'Breaks ' +
				    'at (days)', num: true },
				...(probs.length ? [
				{ key: 'breach_probability_bps', label: 'Breach ' +
				    'probability', num: true, fmt: pct },
				] : []),
				...(net ? [
				{ key: 'contagion', label: 'By contagion',
				    fmt: (v) => (v ? 'yes' : 'no') },
				{ key: 'overdue_receivables', label: 'Owed ' +
				    'to it, overdue', num: true, fmt: money },
				{ key: 'overdue_payables', label: 'It owes, ' +
				    'overdue', num: true, fmt: money },
				{ key: 'cascade', label: 'Who paid it late',
				    fmt: (v, r) => (r.overdue_receivables > 0 ||
				    r.contagion ? el('a', { href: `#/runs/${id}/` +
				    `cascade/${encodeURIComponent(r.supplier_id)}/` +
				    `${L}` }, 'cascade') : '–') },
				] : []),
			],
			rows: items,
		}), tbl);
	}

	const metricSel = el('select', { id: 'metric', onchange: () => {
		state.metric = metrics.find((mm) => mm.key === metricSel.value);
		renderChart();
		renderProbabilities();
	} }, metrics.map((mm) => el('option', { value: mm.key }, mm.label)));

	const compareSet = el('fieldset', { id: 'compare' }, el('legend', {},
	    'Overlay other runs'), others.items.filter((r) => r.id !== run.id)
	    .map((r) => el('label', {}, el('input', { type: 'checkbox',
	    value: String(r.id), onchange: async (ev) => {
		const rid = Number(ev.target.value);
		if (ev.target.checked) {
			try {
				state.compare.set(rid, await api(
				    `/v1/stress-runs/${rid}`));
			} catch (e) {
				ev.target.checked = false;
				announce(e.message);
				return;
			}
		} else {
			state.compare.delete(rid);
		}
		renderChart();
	} }), runName(r))));

	const lInput = el('input', { id: 'outage-days', type: 'number', min: 0,
	    max: run.max_outage_days, value: state.L, onchange: () => {
		const v = Number(lInput.value);
		if (!Number.isInteger(v) || v < 0 || v > run.max_outage_days)
			return;
		state.L = v;
		renderFigures();
		renderTiers();
		renderRisk();
	} });

	clear(main).append(
	    el('h1', {}, runName(run)),
	    el('p', { class: 'muted' }, `Made ${dateTime(run.created_at)}; ` +
	    `outage lengths 0 to ${run.max_outage_days} days; inputs digest ` +
	    `${(run.inputs_digest || '').slice(0, 16)}…`),
	    publishBox,
	    el('h2', {}, 'The curve'),
	    el('div', { class: 'controls' }, el('label', { for: 'metric' },
	    'Show', metricSel), compareSet),
	    el('p', { class: 'muted' }, 'Dashed lines: the scenario\'s ' +
	    'announcements, at the outage length each implied:'),
	    el('ul', { id: 'announcements' }, (run.announcements || []).map(
	    (a) => el('li', { 'data-value': a.outage_days },
	    `${date(a.announced_on)}: restart on ${date(a.restart_date)}, ` +
	    `an outage of ${a.outage_days} days`))),
	    chartBox, chartTable,
	    ...(probs.length && run.expected ? [el('h2', {}, 'Outage ' +
	    'probabilities and expected figures'), probBox] : []),
	    sizingSection(run),
	    ...(net ? [el('h2', {}, 'Direct and contagion breaches'),
	    el('p', { class: 'muted' }, 'A supplier below by contagion ' +
	    'would not breach if its customers paid it on time: it falls ' +
	    'because the stop reaches it through them.'), splitBox,
	    splitTable] : []),
	    el('h2', {}, 'At one outage length'),
	    el('div', { class: 'controls' }, el('label', { for: 'outage-days' },
	    `Outage length (days, 0–${run.max_outage_days})`, lInput)),
	    figBox,
	    el('h3', {}, 'Per tier'),
	    tierBox,
	    el('h2', {}, 'Suppliers at risk'),
	    riskBox);
	renderPublish();
	renderChart();
	renderProbabilities();
	renderSplit();
	renderFigures();
	await Promise.all([renderTiers(), renderRisk()]);
}

function defaultL(run) {
	const a = (run.announcements || []).map((x) => x.outage_days)
	    .filter((d) => d <= run.max_outage_days);
	return a.length ? a[a.length - 1] : run.max_outage_days;
}

/* A cascade's firms: who, how late they paid, each to its own cascade. */
function cascadeColumns(id, L) {
	return [
		{ key: 'customer_id', label: 'Customer', rowHeader: true,
		    fmt: (v) => el('a', { href: `#/runs/${id}/cascade/` +
		    `${encodeURIComponent(v)}/${L}` }, v) },
		{ key: 'name', label: 'Name' },
		{ key: 'tier', label: 'Tier', num: true },
		{ key: 'overdue_to_supplier', label: 'Still owed at the ' +
		    'horizon', num: true, fmt: money },
		{ key: 'paid_late_days', label: 'Days in arrears', num: true },
		{ key: 'breach_date', label: 'Its breach date', fmt: date },
		{ key: 'contagion', label: 'Itself by contagion',
		    fmt: (v) => (v ? 'yes' : 'no') },
	];
}

/*
 * The path of a cascade to one supplier at one outage length: which
 * customers paid it late, by how much and for how long, and who paid
 * those customers late; each customer leads to its own cascade.
 */
export async function cascadeView(main, s, id, sid, L) {
	let c;
	try {
		c = await api(`/v1/stress-runs/${id}/suppliers/` +
		    `${encodeURIComponent(sid)}/contagion${query({
		    outage_days: L })}`);
	} catch (e) {
		clear(main).append(el('h1', {}, `Cascade to ${sid}`),
		    errorBox(e));
		return;
	}
	const parts = c.customers.map((k) => el('section', {
	    class: 'cascade-up' }, el('h3', {}, `Who paid ${k.name} ` +
	    `(${k.customer_id}) late`), k.paid_late_by.length ? table({
		id: `up-${k.customer_id}`,
		caption: `Customers that paid ${k.customer_id} late at ${L} ` +
		    'days of outage',
		columns: cascadeColumns(id, L),
		rows: k.paid_late_by,
	    }) : el('p', { class: 'muted' }, 'No customer paid it late: its ' +
	    'own position, or the OEM\'s frozen payments, put it in arrears.')));
	clear(main).append(
	    el('p', {}, el('a', { href: `#/runs/${id}` }, `Back to run ${id}`)),
	    el('h1', {}, `How the stop reached ${c.name} (${c.supplier_id})`),
	    el('p', { class: 'muted' }, `Run ${c.run_id}, an outage of ` +
	    `${c.outage_days} days. Tier ${c.tier}.`),
	    figures([
		['Breach date', c.breach_date ? date(c.breach_date) :
		    'none in the horizon', 'breach_date', c.breach_date],
		['Below by contagion', c.contagion ? 'yes' : 'no', 'contagion',
		    c.contagion],
		['Owed to it, overdue', money(c.overdue_receivables),
		    'overdue_receivables', c.overdue_receivables],
		['It owes, overdue', money(c.overdue_payables),
		    'overdue_payables', c.overdue_payables],
	    ], 'cascade-figures'),
	    el('h2', {}, 'Customers that paid it late'),
	    c.customers.length ? table({
		id: 'cascade',
		caption: `Customers that paid ${c.supplier_id} late at ${L} ` +
		    'days of outage',
		columns: cascadeColumns(id, L),
		rows: c.customers,
	    }) : el('p', { id: 'cascade-none' }, 'No customer paid it late ' +
	    'at this outage length.'),
	    ...parts);
}
