// Facility sizing on a run's page: how big must a scheme's facility be
// at one outage length. A form asks the service for a sizing on the
// run's snapshot (scheme, outage length, steps, target); the points come
// back as two charts against the facility's size, suppliers below and
// the scheme's cost to the OEM, with the smallest sufficient limit
// marked, and as a table and CSV. The run's earlier sizings can be
// shown again.
import { api, csvOne, query } from '/js/api.js';
import { lineChart } from '/js/chart.js';
import { announce, clear, download, el, errorBox, figures, table } from
    '/js/dom.js';
import { dateTime, money, moneyShort, num } from '/js/format.js';

const STEPS = 20;

/* The outage length the form starts at: the latest announcement's. */
function startL(run) {
	const a = (run.announcements || []).map((x) => x.outage_days)
	    .filter((d) => d <= run.max_outage_days);
	return a.length ? a[a.length - 1] : run.max_outage_days;
}

/* A refusal with every field the service named. */
function refusal(e) {
	const box = errorBox(e);
	if (e.details && e.details.length) {
		box.append(el('ul', {}, e.details.map((d) => el('li', {},
		    `${d.field}: ${d.problem}`))));
	}
	return box;
}

function pointChart(box, z, key, label, fmt, axis, colour) {
	const x = z.points.map((p) => p.facility_limit);
	const markers = z.smallest_sufficient_limit === null ? [] : [{
		x: z.smallest_sufficient_limit,
		label: `smallest sufficient: ${moneyShort(
		    z.smallest_sufficient_limit)}`,
		colour: '#17703a',
	}];
	lineChart(box, {
		x,
		series: [{ label, values: z.points.map((p) => p[key]),
		    colour }],
		markers,
		height: 240,
		xLabel: 'Facility limit',
		xValue: (u, v) => (v === null ? '–' : money(v)),
		xAxis: (u, vals) => vals.map((v) => moneyShort(v)),
		yLabel: label,
		yFmt: fmt,
		yAxis: axis,
		yFromZero: true,
	});
}

function renderSizing(box, z) {
	const found = z.smallest_sufficient_limit !== null;
	const below = el('div', { class: 'chart', id: 'sizing-below-chart' });
	const cost = el('div', { class: 'chart', id: 'sizing-cost-chart' });
	const csv = el('button', { type: 'button', id: 'sizing-csv',
	    onclick: async () => {
		try {
			download(`sizing-${z.id}.csv`, await csvOne(
			    `/v1/facility-sizing/${z.id}`));
		} catch (e) {
			box.append(errorBox(e));
		}
	} }, 'Download the points (CSV)');
	clear(box).append(
	    el('h3', { id: 'sizing-title' }, `Sizing ${z.id}: scheme ` +
	    `${z.scheme_id} at ${z.outage_days} days, ${z.steps} steps`),
	    el('p', { class: 'muted' }, `Made ${dateTime(z.created_at)}. ` +
	    'Each point is the run\'s snapshot at this outage length with ' +
	    'the facility limited to that size; a larger facility can leave ' +
	    'more suppliers below when it pays an early invoice that crowds ' +
	    'out a later one.'),
	    figures([
		['Peak use without a limit', money(z.unlimited_peak),
		    'unlimited_peak', z.unlimited_peak],
		['Target: at most this many below',
		    num(z.target_suppliers_below), 'target_suppliers_below',
		    z.target_suppliers_below],
		['Smallest sufficient facility', found ?
		    money(z.smallest_sufficient_limit) : 'none of the grid',
		    'smallest_sufficient_limit', z.smallest_sufficient_limit],
	    ], 'sizing-figures'),
	    below, cost,
	    el('details', {}, el('summary', {}, 'The points as a table'),
	    table({
		id: 'sizing-points',
		caption: `Sizing ${z.id}: every limit of the grid`,
		rowClass: (p) => (found && p.facility_limit ===
		    z.smallest_sufficient_limit ? 'sizing-answer' : null),
		columns: [
			{ key: 'facility_limit', label: 'Facility limit',
			    num: true, rowHeader: true, fmt: money },
			{ key: 'suppliers_below', label: 'Suppliers below',
			    num: true, fmt: num },
			{ key: 'employees_at_risk', label: 'Employees at ' +
			    'risk', num: true, fmt: num },
			{ key: 'funding_gap', label: 'Funding gap', num: true,
			    fmt: money },
			{ key: 'early_paid', label: 'Paid early', num: true,
			    fmt: money },
			{ key: 'fees', label: 'Fees', num: true, fmt: money },
			{ key: 'oem_cost', label: 'Cost to the OEM',
			    num: true, fmt: money },
			{ key: 'peak_facility_use', label: 'Peak use',
			    num: true, fmt: money },
		],
		rows: z.points,
	    })),
	    el('div', { class: 'controls' }, csv));
	if (z.unlimited_peak === 0) {
		below.replaceWith(el('p', { id: 'sizing-none' }, 'The scheme ' +
		    'pays nothing early at this outage length: no facility ' +
		    'is drawn.'));
		cost.remove();
		return;
	}
	pointChart(below, z, 'suppliers_below', 'Suppliers below threshold',
	    num, num, '#c4320a');
	pointChart(cost, z, 'oem_cost', 'Scheme cost to the OEM', money,
	    moneyShort, '#0b5cad');
}

/*
 * The section for one run: returned at once, filled as the schemes and
 * the run's sizings arrive.
 */
export function sizingSection(run) {
	const result = el('div', { id: 'sizing-result' });
	const earlier = el('div', { id: 'sizing-earlier' });
	const formBox = el('div');
	const section = el('section', { id: 'sizing' },
	    el('h2', {}, 'How big must the facility be?'),
	    el('p', { class: 'muted' }, 'Sizes a scheme\'s facility on this ' +
	    'run\'s snapshot at one outage length: the scheme\'s peak use ' +
	    'without a limit, split into steps, each limit run in turn.'),
	    formBox, earlier, result);

	async function show(id) {
		try {
			renderSizing(result, await api(
			    `/v1/facility-sizing/${id}`));
		} catch (e) {
			clear(result).append(errorBox(e));
		}
	}

	async function listEarlier() {
		let page;
		try {
			page = await api(`/v1/facility-sizing${query({
			    run_id: run.id, limit: 20 })}`);
		} catch (e) {
			clear(earlier).append(errorBox(e));
			return null;
		}
		clear(earlier);
		if (page.items.length === 0)
			return page;
		const sel = el('select', { id: 'sizing-pick', onchange: () =>
		    show(sel.value) }, page.items.map((z) => el('option', {
		    value: z.id }, `Sizing ${z.id}: ${z.scheme_id}, ` +
		    `${z.outage_days} days, ${z.steps} steps`)));
		earlier.append(el('div', { class: 'controls' }, el('label',
		    { for: 'sizing-pick' }, 'Earlier sizings of this run', sel)));
		return page;
	}

	async function build() {
		let schemes;
		try {
			schemes = await api('/v1/schemes?limit=1000');
		} catch (e) {
			clear(formBox).append(errorBox(e));
			return;
		}
		const scheme = el('select', { id: 'sizing-scheme' },
		    schemes.items.map((s) => el('option', { value: s.id,
		    selected: s.id === run.scheme_id }, `${s.id}: ${s.name}`)));
		const L = el('input', { id: 'sizing-outage', type: 'number',
		    min: 0, max: run.max_outage_days, value: startL(run) });
		const steps = el('input', { id: 'sizing-steps', type: 'number',
		    min: 1, max: 200, value: STEPS });
		const target = el('input', { id: 'sizing-target',
		    type: 'number', min: 0, placeholder: 'as at the largest' });
		const status = el('div', { id: 'sizing-status' });
		const go = el('button', { type: 'submit', id: 'sizing-run' },
		    'Size the facility');
		const form = el('form', { id: 'sizing-form', onsubmit:
		    async (ev) => {
			ev.preventDefault();
			const body = { run_id: run.id, scheme_id: scheme.value,
			    outage_days: Number(L.value),
			    steps: Number(steps.value) };
			if (target.value !== '')
				body.target_suppliers_below =
				    Number(target.value);
			go.disabled = true;
			clear(status).append(el('p', { class: 'muted' },
			    'Sizing…'));
			try {
				const z = await api('/v1/facility-sizing', {
				    method: 'POST', body });
				clear(status);
				renderSizing(result, z);
				announce(`Sizing ${z.id} made`);
				await listEarlier();
			} catch (e) {
				clear(status).append(refusal(e));
			} finally {
				go.disabled = false;
			}
		} },
		    el('div', { class: 'controls' },
		    el('label', { for: 'sizing-scheme' }, 'Scheme', scheme),
		    el('label', { for: 'sizing-outage' }, 'Outage length ' +
		    `(days, 0–${run.max_outage_days})`, L),
		    el('label', { for: 'sizing-steps' }, 'Steps (1–200)', steps),
		    el('label', { for: 'sizing-target' }, 'At most this many ' +
		    'suppliers below (optional)', target), go), status);
		clear(formBox).append(form);
		const page = await listEarlier();
		if (page && page.items.length > 0)
			await show(page.items[0].id);
	}

	section.ready = build();
	return section;
}
