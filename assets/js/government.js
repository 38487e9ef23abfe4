// The exposure view (government and treasury): firms, jobs and the
// funding gap at risk for an outage length, by region, sector, tier or
// size band, with small groups suppressed by the service; the totals;
// the expected firms and jobs at risk under the scenario's outage
// probabilities, when the run has them;
// CSV; and the response's Ed25519 signature (X-Signature) checked here in
// the browser with WebCrypto against GET /v1/exposure/public-key.
import { api, csvOne, query, request } from '/js/api.js';
import { lineChart } from '/js/chart.js';
import { clear, download, el, errorBox, table } from '/js/dom.js';
import { money, num, pct } from '/js/format.js';

const GROUPS = [
	['region', 'Region'], ['sector', 'Sector'], ['tier', 'Tier'],
	['size_band', 'Size band'],
];

const BANDS = { micro: 'micro (under 10)', small: 'small (10–49)',
    medium: 'medium (50–249)', large: 'large (250 and more)' };

function b64(s) {
	return Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
}

let publicKey = null;

async function verifier() {
	if (publicKey === null) {
		const k = await api('/v1/exposure/public-key');
		if (k.algorithm !== 'ed25519')
			throw new Error(`unknown algorithm ${k.algorithm}`);
		publicKey = await crypto.subtle.importKey('raw',
		    b64(k.public_key), { name: 'Ed25519' }, false, ['verify']);
	}
	return publicKey;
}

// Whether the exact bytes received carry a good signature.
async function verify(bytes, header) {
	const m = /^ed25519 ([A-Za-z0-9+/=]+)$/.exec(header || '');
	if (!m)
		return { ok: false, why: 'no signature in the response' };
	try {
		const ok = await crypto.subtle.verify({ name: 'Ed25519' },
		    await verifier(), b64(m[1]), bytes);
		return { ok, why: ok ? '' : 'the signature does not match ' +
		    'the figures' };
	} catch (e) {
		return { ok: false, why: `cannot check it: ${e.message}` };
	}
}

export async function exposureView(main, s) {
	const sel = el('select', { id: 'group-by' }, GROUPS.map(([v, l]) =>
	    el('option', { value: v }, l)));
	const lIn = el('input', { id: 'exp-outage', type: 'number', min: 0,
	    placeholder: 'latest announcement' });
	const runIn = el('input', { id: 'exp-run', type: 'number', min: 1,
	    placeholder: 'latest published' });
	const box = el('div', { id: 'exposure' });
	const params = () => ({ group_by: sel.value, outage_days: lIn.value,
	    run: runIn.value });
	const form = el('form', { class: 'controls', onsubmit: (ev) => {
		ev.preventDefault();
		show(box, params());
	} }, el('label', { for: 'group-by' }, 'Group by', sel),
	    el('label', { for: 'exp-outage' }, 'Outage length (days)', lIn),
	    el('label', { for: 'exp-run' }, 'Published run', runIn),
	    el('button', { type: 'submit' }, 'Show'));
	clear(main).append(el('h1', {}, 'Exposure of the supply chain'),
	    el('p', { class: 'muted' }, 'Aggregates only: a group with too ' +
	    'few firms is suppressed, and so is another when one alone ' +
	    'would be, so that no firm can be identified. Every response is ' +
	    'signed by the service; this page checks the signature.'),
	    form, box);
	await show(box, params());
}

async function show(box, p) {
	let res, bytes;
	const path = `/v1/exposure${query(p)}`;
	try {
		res = await request(path);
		bytes = new Uint8Array(await res.arrayBuffer());
	} catch (e) {
		clear(box).append(errorBox(e));
		return;
	}
	let body;
	try {
		body = JSON.parse(new TextDecoder().decode(bytes));
	} catch (e) {
		body = null;
	}
	if (!res.ok || body === null) {
		const msg = body && body.error ? body.error.message :
		    `the service answered ${res.status}`;
		clear(box).append(errorBox(new Error(res.status === 404 ?
		    'No published stress run to show (or not that one).' :
		    msg)));
		return;
	}
	const sig = await verify(bytes, res.headers.get('X-Signature'));
	const badge = el('p', { id: 'signature', 'data-verified':
	    String(sig.ok), class: sig.ok ? 'ok' : 'error', role: 'status' },
	    el('span', { class: 'badge' }, sig.ok ? 'Signature verified' :
	    'Signature NOT verified'), ' ', sig.ok ? 'These figures are ' +
	    'exactly as the service signed them.' : `Do not rely on these ` +
	    `figures: ${sig.why}.`);
	const label = GROUPS.find(([v]) => v === body.group_by)[1];
	const shown = (fmt) => (v, row) => (row.suppressed ? 'suppressed' :
	    fmt(v));
	/* A cell whose at-risk part alone is withheld shows its firms. */
	const risk = (fmt) => (v, row) => (row.suppressed ? 'suppressed' :
	    (row.at_risk_suppressed ? 'withheld' : fmt(v)));
	const t = body.totals || {};
	const csv = el('button', { type: 'button', id: 'exposure-csv',
	    onclick: async () => {
		try {
			download(`exposure-run-${body.run_id}-${body.group_by}-` +
			    `${body.outage_days}d.csv`, await csvOne(path));
		} catch (e) {
			box.append(errorBox(e));
		}
	} }, 'Download CSV');
	const td = (k, fmt) => el('td', { class: 'num', 'data-key': k,
	    'data-value': t[k] ?? '' }, fmt(t[k]));
	/*
	 * Expected figures: only a run with outage probabilities has them;
	 * null is withheld (suppressed, or withheld at a length the
	 * probabilities weigh).
	 */
	const probs = body.outage_probabilities || [];
	const hasExpected = probs.length > 0;
	const expected = (fmt) => (v, row) => (row.suppressed ? 'suppressed' :
	    (v === null ? 'withheld' : fmt(v)));
	const keyCol = { key: 'key', label, rowHeader: true,
	    fmt: (v) => (body.group_by === 'tier' ? `Tier ${v}` :
	    (BANDS[v] || v)) };
	const expTable = hasExpected ? [table({
		id: 'exposure-expected',
		caption: `Expected firms and jobs at risk by ` +
		    `${label.toLowerCase()}, over the outage probabilities`,
		columns: [keyCol,
			{ key: 'expected_suppliers_below', label: 'Expected ' +
			    'firms below threshold', num: true,
			    fmt: expected(num) },
			{ key: 'expected_employees_at_risk', label: 'Expected ' +
			    'jobs at risk', num: true, fmt: expected(num) },
		],
		rows: body.groups,
		rowClass: (r) => (r.suppressed ? 'suppressed' : null),
		footer: el('tr', { id: 'expected-totals' }, el('th',
		    { scope: 'row' }, 'Total'),
		    td('expected_suppliers_below', (v) => (v === null ?
		    'withheld' : num(v))), td('expected_employees_at_risk',
		    (v) => (v === null ? 'withheld' : num(v)))),
	})] : [];
	clear(box).append(badge,
	    el('p', {}, `Stress run ${body.run_id}, outage of ` +
	    `${body.outage_days} days; groups need at least ` +
	    `${body.min_cell_size} firms.`),
	    table({
		id: 'exposure-table',
		caption: `Exposure by ${label.toLowerCase()} at ` +
		    `${body.outage_days} days of outage`,
		columns: [
			keyCol,
			{ key: 'suppliers', label: 'Firms', num: true,
			    fmt: shown(num) },
			{ key: 'suppliers_below', label: 'Firms below ' +
			    'threshold', num: true, fmt: risk(num) },
			{ key: 'suppliers_below_contagion', label: 'of ' +
			    'them by contagion', num: true, fmt: risk(num) },
			{ key: 'employees', label: 'Employees', num: true,
			    fmt: shown(num) },
			{ key: 'employees_at_risk', label: 'Employees at ' +
			    'risk', num: true, fmt: risk(num) },
			{ key: 'funding_gap', label: 'Funding gap', num: true,
			    fmt: risk(money) },
			{ key: 'overdue_trade_credit', label: 'Overdue ' +
			    'trade credit', num: true, fmt: risk(money) },
		],
		rows: body.groups,
		rowClass: (r) => (r.suppressed ? 'suppressed' : null),
		footer: el('tr', { id: 'exposure-totals' }, el('th',
		    { scope: 'row' }, 'Total'), td('suppliers', num),
		    td('suppliers_below', num),
		    td('suppliers_below_contagion', num), td('employees', num),
		    td('employees_at_risk', num), td('funding_gap', money),
		    td('overdue_trade_credit', money)),
	    }),
	    el('p', {}, csv),
	    el('p', { class: 'muted' }, '"withheld": the group is shown but ' +
	    'its firms at risk are not, because so few are at risk that ' +
	    'their figures would be one firm\'s.'),
	    ...(hasExpected ? [el('h2', {}, 'Expected under the outage ' +
	    'probabilities'), ...expTable, el('p', { class: 'muted',
	    id: 'expected-note' }, 'Expected firms and jobs at risk weigh ' +
	    'each outage length by the probability the scenario gives it (',
	    el('span', { id: 'expected-probabilities' }, probs.slice()
	    .sort((a, b) => a.outage_days - b.outage_days).map((p) =>
	    `${p.outage_days} days: ${pct(p.probability_bps)}`).join(', ')),
	    '); they are the same at every outage length, and withheld ' +
	    'wherever a group\'s firms at risk are withheld at one of ' +
	    'those lengths.')] : []));
	const tiersBox = el('div', { id: 'tiers-box' });
	const curveBox = el('div', { id: 'curve-box' });
	box.append(el('h2', {}, 'Per tier'), tiersBox,
	    el('h2', {}, `By ${label.toLowerCase()}, over outage length`),
	    curveBox);
	await Promise.all([showTiers(tiersBox, body.run_id, body.outage_days),
	    showCurve(curveBox, body.run_id, body.group_by, label)]);
}

/* A signed reply: its body and whether its signature holds. */
async function signed(path) {
	const res = await request(path);
	const bytes = new Uint8Array(await res.arrayBuffer());
	const body = JSON.parse(new TextDecoder().decode(bytes));
	if (!res.ok)
		throw new Error(body.error ? body.error.message :
		    `the service answered ${res.status}`);
	return { body, sig: await verify(bytes,
	    res.headers.get('X-Signature')) };
}

function sigLine(id, sig) {
	return el('p', { id, 'data-verified': String(sig.ok),
	    class: sig.ok ? 'ok' : 'error' }, sig.ok ? 'Signature verified.' :
	    `Signature NOT verified: ${sig.why}.`);
}

/* The per-tier table of the run at that length, as the service controls it. */
async function showTiers(box, run, L) {
	let r;
	try {
		r = await signed(`/v1/stress-runs/${run}/tiers${query({
		    outage_days: L })}`);
	} catch (e) {
		clear(box).append(errorBox(e));
		return;
	}
	const shown = (fmt) => (v, row) => (row.suppressed ? 'suppressed' :
	    (v === null ? 'withheld' : fmt(v)));
	clear(box).append(table({
		id: 'tiers',
		caption: `Per tier at ${L} days of outage`,
		columns: [
			{ key: 'tier', label: 'Tier', rowHeader: true,
			    fmt: (v) => `Tier ${v}` },
			{ key: 'suppliers', label: 'Firms', num: true,
			    fmt: shown(num) },
			{ key: 'suppliers_below', label: 'Below threshold',
			    num: true, fmt: shown(num) },
			{ key: 'suppliers_below_contagion', label: 'by ' +
			    'contagion', num: true, fmt: shown(num) },
			{ key: 'employees_at_risk', label: 'Employees at ' +
			    'risk', num: true, fmt: shown(num) },
			{ key: 'funding_gap', label: 'Funding gap', num: true,
			    fmt: shown(money) },
			{ key: 'overdue_trade_credit', label: 'Overdue trade ' +
			    'credit', num: true, fmt: shown(money) },
		],
		rows: r.body.tiers,
		rowClass: (row) => (row.suppressed ? 'suppressed' : null),
	}), sigLine('tiers-signature', r.sig));
}

/*
 * Firms below threshold by group for every outage length of the run,
 * under one pattern of suppression: a group withheld at a length shows
 * no point there.
 */
async function showCurve(box, run, groupBy, label) {
	let r;
	try {
		r = await signed(`/v1/exposure/curve${query({ run,
		    group_by: groupBy })}`);
	} catch (e) {
		clear(box).append(errorBox(e));
		return;
	}
	const curve = r.body.curve;
	const keys = curve.length ? curve[0].groups.map((g) => g.key) : [];
	const x = curve.map((c) => c.outage_days);
	const value = (g) => (g.suppressed || g.at_risk_suppressed ? null :
	    g.suppliers_below);
	const series = keys.map((k) => ({
		label: groupBy === 'tier' ? `Tier ${k}` : (BANDS[k] || k),
		values: curve.map((c) => {
			const g = c.groups.find((x2) => x2.key === k);
			return g ? value(g) : null;
		}),
	}));
	const chart = el('div', { class: 'chart', id: 'exposure-curve' });
	const rows = curve.map((c) => {
		const row = { outage_days: c.outage_days };
		c.groups.forEach((g, i) => {
			row[`g${i}`] = value(g);
		});
		return row;
	});
	clear(box).append(el('p', { class: 'muted' }, 'Firms below their ' +
	    'threshold in each group, for every outage length of run ' +
	    `${r.body.run_id}. A group withheld at a length has no point ` +
	    'there.'), chart, el('details', {}, el('summary', {},
	    'The chart\'s data as a table'), table({
		id: 'exposure-curve-data',
		caption: `Firms below threshold by ${label.toLowerCase()} and ` +
		    'outage length',
		columns: [{ key: 'outage_days', label: 'Outage length (days)',
		    num: true, rowHeader: true }, ...series.map((sr, i) => ({
		    key: `g${i}`, label: sr.label, num: true,
		    fmt: (v) => (v === null ? 'withheld' : num(v)) }))],
		rows,
	})), sigLine('curve-signature', r.sig));
	lineChart(chart, {
		x, series,
		xLabel: 'Outage length (days)',
		xValue: (u, v) => (v === null ? '–' : `${v} days`),
		xAxis: (u, vals) => vals.map((v) => `${v}`),
		yLabel: 'Firms below threshold',
		yFmt: num,
		yAxis: num,
		yFromZero: true,
	});
}
