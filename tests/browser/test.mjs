// Browser tests of the dashboard against the real service (run.sh starts
// it and sets the environment): headless chromium driven by
// playwright-core signs in as each role, compares what the page shows
// with what the API answers for the same question, and saves a
// screenshot of each view. Prints "[ OK ]"/"[ FAILED ]" per test and a
// final "N passed, N failed".
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { seed } from './seed.mjs';

const env = (k) => {
	if (!process.env[k])
		throw new Error(`${k} is not set (run tests/browser/run.sh)`);
	return process.env[k];
};
const BASE = env('TIDEOVER_URL');
const SHOTS = env('TIDEOVER_SCREENSHOTS');
const require = createRequire(path.join(env('TIDEOVER_NODE_MODULES'), '/'));
const { chromium } = require('playwright-core');

const WIDE = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

let passed = 0;
let failed = 0;
async function test(name, fn) {
	try {
		await fn();
		passed++;
		console.log(`[       OK ] ${name}`);
	} catch (e) {
		failed++;
		console.log(`[  FAILED  ] ${name}\n    ${String(e.stack || e)
		    .split('\n').slice(0, 6).join('\n    ')}`);
	}
}

async function get(p, key, accept) {
	const res = await fetch(BASE + p, { headers: {
	    Authorization: `Bearer ${key}`, Accept: accept || '*/*' } });
	assert.equal(res.status, 200, `${p}: ${res.status}`);
	return accept === 'text/csv' ? res.text() : res.json();
}

async function csvAll(p, key) {
	let out = '';
	let cursor = null;
	do {
		const res = await fetch(`${BASE}${p}&limit=1000` + (cursor ?
		    `&cursor=${encodeURIComponent(cursor)}` : ''), { headers: {
		    Authorization: `Bearer ${key}`, Accept: 'text/csv' } });
		let t = await res.text();
		if (out)
			t = t.slice(t.indexOf('\n') + 1);
		out += t;
		cursor = res.headers.get('x-next-cursor');
	} while (cursor);
	return out;
}

const fx = await seed(BASE, env('TIDEOVER_TREASURY_KEY'));
const T = fx.keys.treasury;

const browser = await chromium.launchPersistentContext(
    env('TIDEOVER_PROFILE'), {
	executablePath: env('TIDEOVER_CHROMIUM'),
	headless: true,
	args: ['--headless', '--no-sandbox', '--disable-gpu',
	    '--disable-background-networking', '--disable-component-update',
	    '--no-first-run'],
	viewport: WIDE,
	acceptDownloads: true,
	timeout: 30000,
});
browser.setDefaultTimeout(10000);

const problems = [];	/* page errors and CSP reports, for every page */
async function newPage(viewport = WIDE) {
	const page = await browser.newPage();
	await page.setViewportSize(viewport);
	page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
	page.on('console', (m) => {
		if (/Content Security Policy|Refused to/i.test(m.text()))
			problems.push(`console: ${m.text()}`);
	});
	/* Nothing but the service itself. */
	await page.route((url) => !url.href.startsWith(BASE), (r) => {
		problems.push(`request outside the service: ${r.request().url()}`);
		return r.abort();
	});
	return page;
}

async function signIn(page, key) {
	await page.goto(`${BASE}/`);
	await page.fill('#key', key);
	await page.click('#signin button[type=submit]');
}

async function shot(page, name) {
	await page.screenshot({ path: path.join(SHOTS, `${name}.png`),
	    fullPage: true });
}

// The raw values of one column of a table, by data-key.
async function column(page, table, key, part = 'tbody') {
	return page.$$eval(`#${table} ${part} [data-key="${key}"]`,
	    (cells) => cells.map((c) => c.dataset.value));
}

async function download(page, button) {
	const [d] = await Promise.all([page.waitForEvent('download'),
	    page.click(button)]);
	return fs.readFileSync(await d.path(), 'utf8');
}

try {
	await test('the page is served with its types, a same-origin CSP ' +
	    'and ETag revalidation, and /v1 is still the API', async () => {
		const r = await fetch(`${BASE}/`);
		assert.equal(r.status, 200);
		assert.match(r.headers.get('content-type'), /^text\/html/);
		assert.match(r.headers.get('content-security-policy'),
		    /^default-src 'self';/);
		assert.doesNotMatch(r.headers.get('content-security-policy'),
		    /unsafe-inline/);
		const etag = r.headers.get('etag');
		assert.ok(etag && r.headers.get('last-modified'));
		const again = await fetch(`${BASE}/`, { headers: {
		    'If-None-Match': etag } });
		assert.equal(again.status, 304);
		for (const [p, t] of [['/app.js', /^text\/javascript/],
		    ['/style.css', /^text\/css/],
		    ['/vendor/uPlot.esm.js', /^text\/javascript/]]) {
			const a = await fetch(BASE + p);
			assert.equal(a.status, 200, p);
			assert.match(a.headers.get('content-type'), t, p);
		}
		const html = await (await fetch(`${BASE}/`)).text();
		assert.doesNotMatch(html, /<script>|<style|style=/);
		const h = await fetch(`${BASE}/v1/health`);
		assert.equal((await h.json()).status, 'ok');
		assert.equal((await fetch(`${BASE}/package.json`)).status, 404);
	});

	await test('a wrong key and a revoked key are refused with a clear ' +
	    'message, and the key never appears in the URL', async () => {
		const page = await newPage();
		await signIn(page, 'tdo_0000000000000000_wrong');
		await page.waitForSelector('#signin-error:has-text("not accepted")');
		await signIn(page, fx.keys.revoked);
		await page.waitForSelector('#signin-error:has-text("revoked")');
		const msg = await page.textContent('#signin-error');
		assert.match(msg, /wrong or has been revoked/);
		assert.ok(!page.url().includes('tdo_'));
		await shot(page, 'signin-refused');
		await page.close();
	});

	await test('treasury: the runs list shows the API\'s runs', async () => {
		const page = await newPage();
		await signIn(page, T);
		await page.waitForSelector('#runs tbody tr');
		const api = await get('/v1/stress-runs', T);
		assert.deepEqual(await column(page, 'runs', 'id'),
		    api.items.map((r) => String(r.id)));
		assert.ok(!page.url().includes('tdo_'));
		const stored = await page.evaluate(() =>
		    sessionStorage.getItem('tideover.session'));
		assert.ok(stored.includes(T));
		await shot(page, 'treasury-runs');
		await page.close();
	});

	const L = 30;	/* the last announcement of the data set */
	await test('treasury: a run\'s curve, announcements, figures and ' +
	    'suppliers at risk are the API\'s numbers', async () => {
		const page = await newPage();
		await signIn(page, T);
		await page.waitForSelector('#runs tbody tr');
		await page.click(`a[href="#/runs/${fx.runs.plain}"]`);
		await page.waitForSelector('#at-risk tbody tr');
		const run = await get(`/v1/stress-runs/${fx.runs.plain}`, T);
		assert.ok(await page.$('#curve-chart canvas'));
		assert.deepEqual(await column(page, 'curve-data', 'r0'),
		    run.curve.map((p) => String(p.suppliers_below)));
		for (const k of ['employees_at_risk', 'funding_gap',
		    'peak_facility_use', 'oem_cost']) {
			assert.deepEqual(await column(page, 'curve-all', k),
			    run.curve.map((p) => String(p[k])), k);
		}
		assert.deepEqual(await page.$$eval('#announcements li',
		    (li) => li.map((x) => x.dataset.value)),
		    run.announcements.map((a) => String(a.outage_days)));
		const p = run.curve.find((c) => c.outage_days === L);
		assert.equal(await page.getAttribute(
		    '#figures [data-key="funding_gap"]', 'data-value'),
		    String(p.funding_gap));
		assert.equal(await page.getAttribute(
		    '#figures [data-key="suppliers_below"]', 'data-value'),
		    String(p.suppliers_below));
		const risk = await get(`/v1/stress-runs/${fx.runs.plain}/` +
		    `suppliers?outage_days=${L}&below=true`, T);
		assert.ok(risk.items.length > 5);
		assert.deepEqual(await column(page, 'at-risk', 'supplier_id'),
		    risk.items.map((r) => r.supplier_id));
		assert.deepEqual(await column(page, 'at-risk', 'funding_gap'),
		    risk.items.map((r) => String(r.funding_gap)));
		const shown = await page.textContent(
		    '#at-risk tbody tr:first-child [data-key="funding_gap"]');
		assert.match(shown, /^£\d{1,3}(,\d{3})*\.\d\d$/);
		await shot(page, 'treasury-run');
		await page.setViewportSize(PHONE);
		await shot(page, 'treasury-run-phone');
		await page.close();
	});

	await test('treasury: runs overlaid, the table sorted, pages ' +
	    'followed through the cursors, CSV, publishing', async () => {
		const page = await newPage();
		await signIn(page, T);
		await page.waitForSelector('#runs tbody tr');
		await page.click(`a[href="#/runs/${fx.runs.plain}"]`);
		await page.waitForSelector('#at-risk tbody tr');
		const other = await get(`/v1/stress-runs/${fx.runs.scheme}`, T);
		await page.check(`#compare input[value="${fx.runs.scheme}"]`);
		await page.waitForSelector('#curve-data [data-key="r1"]',
		    { state: 'attached' });
		await page.selectOption('#metric', 'oem_cost');
		assert.deepEqual(await column(page, 'curve-data', 'r1'),
		    other.curve.map((p) => String(p.oem_cost)));
		await shot(page, 'treasury-overlay');

		await page.click('#at-risk thead [data-key="funding_gap"] button');
		const gaps = (await column(page, 'at-risk', 'funding_gap'))
		    .map(Number);
		assert.deepEqual(gaps, gaps.slice().sort((a, b) => a - b));
		assert.equal(await page.getAttribute(
		    '#at-risk thead [data-key="funding_gap"]', 'aria-sort'),
		    'ascending');

		const all = await get(`/v1/stress-runs/${fx.runs.plain}/` +
		    `suppliers?outage_days=${L}&below=true`, T);
		await page.selectOption('#page-size', '5');
		await page.waitForFunction(() => document.querySelectorAll(
		    '#at-risk tbody tr').length === 5);
		const first = await column(page, 'at-risk', 'supplier_id');
		await page.click('button.next');
		await page.waitForSelector('text=Page 2');
		const second = await column(page, 'at-risk', 'supplier_id');
		assert.deepEqual([...first, ...second],
		    all.items.map((r) => r.supplier_id));
		await page.click('button.prev');
		await page.waitForSelector('text=Page 1');

		const csv = await download(page, '#risk-csv');
		assert.equal(csv, await csvAll(`/v1/stress-runs/` +
		    `${fx.runs.plain}/suppliers?outage_days=${L}&below=true`, T));

		await page.goto(`${BASE}/#/runs/${fx.runs.scheme}`);
		await page.click('#publish');
		/* "Not published" has that text too: wait for the badge itself. */
		await page.waitForSelector('#published.ok');
		assert.equal((await get(`/v1/stress-runs/${fx.runs.scheme}`,
		    T)).published, true);
		await page.close();
	});

	await test('treasury: the outage probabilities on the curve, the ' +
	    'expected figures and the suppliers at risk by breach ' +
	    'probability are the API\'s', async () => {
		const page = await newPage();
		await signIn(page, T);
		await page.waitForSelector('#runs tbody tr');
		await page.click(`a[href="#/runs/${fx.runs.plain}"]`);
		await page.waitForSelector('#at-risk tbody tr');
		await page.waitForSelector('#expected');
		const run = await get(`/v1/stress-runs/${fx.runs.plain}`, T);
		assert.ok(run.expected && run.outage_probabilities.length === 4);
		for (const k of ['suppliers_below', 'employees_at_risk',
		    'funding_gap', 'oem_cost']) {
			assert.equal(await page.getAttribute(
			    `#expected [data-key="${k}"]`, 'data-value'),
			    String(run.expected[k]), k);
		}
		/* Each length with its probability and the curve there. */
		const probs = run.outage_probabilities.slice().sort((a, b) =>
		    a.outage_days - b.outage_days);
		assert.deepEqual(await column(page, 'outage-probabilities',
		    'outage_days'), probs.map((p) => String(p.outage_days)));
		assert.deepEqual(await column(page, 'outage-probabilities',
		    'probability_bps'), probs.map((p) =>
		    String(p.probability_bps)));
		assert.deepEqual(await column(page, 'outage-probabilities',
		    'value'), probs.map((p) => String(run.curve[p.outage_days]
		    .suppliers_below)));
		assert.match(await page.textContent('#outage-probabilities ' +
		    'tbody tr:first-child [data-key="probability_bps"]'), /^10%$/);
		/* The expected figure is the curve weighed by them. */
		const w = probs.reduce((a, p) => a + p.probability_bps *
		    run.curve[p.outage_days].employees_at_risk, 0);
		const q0 = Math.floor(w / 10000);
		const r0 = w - q0 * 10000;
		assert.equal(run.expected.employees_at_risk, r0 * 2 > 10000 ||
		    (r0 * 2 === 10000 && q0 % 2) ? q0 + 1 : q0);
		assert.ok(await page.$('#curve-chart canvas'));
		await shot(page, 'treasury-outage-probabilities');

		await page.selectOption('#risk-sort', 'breach_probability');
		await page.waitForSelector('#at-risk caption:has-text("most ' +
		    'likely")');
		const q = `/v1/stress-runs/${fx.runs.plain}/suppliers?` +
		    `outage_days=${L}&below=true&sort=breach_probability`;
		const risk = await get(q, T);
		assert.ok(risk.items.length > 5);
		assert.deepEqual(await column(page, 'at-risk', 'supplier_id'),
		    risk.items.map((r) => r.supplier_id));
		assert.deepEqual(await column(page, 'at-risk',
		    'breach_probability_bps'), risk.items.map((r) =>
		    String(r.breach_probability_bps)));
		const bps = risk.items.map((r) => r.breach_probability_bps);
		assert.deepEqual(bps, bps.slice().sort((a, b) => b - a));
		assert.ok(new Set(bps).size > 1);
		const csv = await download(page, '#risk-csv');
		assert.equal(csv, await csvAll(q, T));
		await shot(page, 'treasury-at-risk-by-probability');
		await page.close();
	});

	await test('supplier: the schedule, the breach date and the ' +
	    'liquidity are the API\'s', async () => {
		const page = await newPage();
		await signIn(page, fx.keys.supplier);
		await page.waitForSelector('#payments tbody tr');
		assert.ok(page.url().endsWith(`#/supplier/${fx.supplier}`));
		const sc = await get(`/v1/suppliers/${fx.supplier}/schedule`,
		    fx.keys.supplier);
		assert.ok(sc.payments.length > 0);
		assert.deepEqual(await column(page, 'payments', 'date'),
		    sc.payments.map((p) => p.date));
		assert.deepEqual(await column(page, 'payments', 'net'),
		    sc.payments.map((p) => String(p.net)));
		assert.deepEqual(await column(page, 'liquidity', 'liquidity'),
		    sc.liquidity.map((p) => String(p.liquidity)));
		assert.equal(await page.getAttribute('#schedule-figures ' +
		    '[data-key="breach_date"]', 'data-value'),
		    sc.breach_date || '');
		assert.ok(await page.$('#liquidity-chart canvas'));
		await shot(page, 'supplier');
		await page.setViewportSize(PHONE);
		await shot(page, 'supplier-phone');
		await page.close();
	});

	await test('supplier: its orders, prepayments, true-ups and what it ' +
	    'owes back are the API\'s, and another supplier sees none of them',
	    async () => {
		const page = await newPage();
		await signIn(page, fx.keys.supplier);
		await page.waitForSelector('#orders tbody tr');
		const mine = await get('/v1/orders', fx.keys.supplier);
		assert.equal(mine.items.length, 3);
		assert.deepEqual(await column(page, 'orders', 'id'),
		    mine.items.map((o) => o.id));
		assert.deepEqual(await column(page, 'orders', 'status'),
		    ['open', 'prepaid', 'invoiced']);
		assert.deepEqual(await column(page, 'orders', 'prepaid'),
		    mine.items.map((o) => String(o.prepaid)));
		assert.deepEqual(await column(page, 'orders', 'true_up'),
		    ['0', '0', '0']);
		assert.deepEqual(await column(page, 'orders', 'owed_back'),
		    ['0', '0', '200000']);
		const sup = await get(`/v1/suppliers/${fx.supplier}`,
		    fx.keys.supplier);
		assert.equal(sup.ledger.owed_back, 200000);
		assert.equal(sup.ledger.prepaid_outstanding, 800000);
		for (const k of ['owed_back', 'prepaid_outstanding']) {
			assert.equal(await page.getAttribute('#order-figures ' +
			    `[data-key="${k}"]`, 'data-value'),
			    String(sup.ledger[k]));
		}
		assert.equal(await page.getAttribute('#order-figures ' +
		    '[data-key="open_orders"]', 'data-value'), '1');
		assert.ok(await page.$('#owed-back'));
		await shot(page, 'supplier-orders');
		await page.close();

		const other = await newPage();
		await signIn(other, fx.keys.other);
		await other.waitForSelector('#orders-none');
		assert.equal(await other.$('#orders'), null);
		assert.equal(await other.$('#owed-back'), null);
		await other.close();
	});

	const NL = 23;	/* an announced length at which contagion shows */
	await test('treasury: direct and contagion breaches, the contagion ' +
	    'filter and the path of a cascade are the API\'s', async () => {
		const page = await newPage();
		await signIn(page, T);
		await page.waitForSelector('#runs tbody tr');
		await page.click(`a[href="#/runs/${fx.runs.plain}"]`);
		await page.waitForSelector('#at-risk tbody tr');
		const run = await get(`/v1/stress-runs/${fx.runs.plain}`, T);
		assert.ok(await page.$('#contagion-chart canvas'));
		assert.deepEqual(await column(page, 'contagion-data',
		    'contagion'), run.curve.map((p) =>
		    String(p.suppliers_below_contagion)));
		assert.deepEqual(await column(page, 'contagion-data', 'direct'),
		    run.curve.map((p) => String(p.suppliers_below -
		    p.suppliers_below_contagion)));
		assert.ok(run.curve[NL].suppliers_below_contagion > 0);

		await page.fill('#outage-days', String(NL));
		await page.dispatchEvent('#outage-days', 'change');
		await page.waitForSelector(`#at-risk caption:has-text("${NL} ` +
		    'days")');
		await page.waitForSelector(`#run-tiers caption:has-text("${NL} ` +
		    'days")');
		const rt = await get(`/v1/stress-runs/${fx.runs.plain}/tiers?` +
		    `outage_days=${NL}`, T);
		for (const k of ['suppliers', 'suppliers_below',
		    'suppliers_below_contagion', 'funding_gap',
		    'overdue_trade_credit']) {
			assert.deepEqual(await column(page, 'run-tiers', k),
			    rt.tiers.map((x) => String(x[k])), k);
		}
		assert.equal(rt.tiers.reduce((a, x) => a + x.suppliers_below, 0),
		    run.curve[NL].suppliers_below);
		await page.check('#contagion-only');
		await page.waitForSelector('#at-risk caption:has-text(' +
		    '"by contagion")');
		const only = await get(`/v1/stress-runs/${fx.runs.plain}/` +
		    `suppliers?outage_days=${NL}&below=true&contagion=true`, T);
		assert.ok(only.items.length > 0);
		assert.deepEqual(await column(page, 'at-risk', 'supplier_id'),
		    only.items.map((r) => r.supplier_id));
		assert.deepEqual(await column(page, 'at-risk',
		    'overdue_receivables'), only.items.map((r) =>
		    String(r.overdue_receivables)));
		await shot(page, 'treasury-contagion');

		const sid = only.items[0].supplier_id;
		await page.click(`#at-risk a[href="#/runs/${fx.runs.plain}/` +
		    `cascade/${sid}/${NL}"]`);
		await page.waitForSelector('#cascade tbody tr');
		const c = await get(`/v1/stress-runs/${fx.runs.plain}/suppliers/` +
		    `${sid}/contagion?outage_days=${NL}`, T);
		assert.ok(c.customers.length > 0);
		for (const k of ['customer_id', 'overdue_to_supplier',
		    'paid_late_days', 'breach_date']) {
			assert.deepEqual(await column(page, 'cascade', k),
			    c.customers.map((x) => String(x[k] ?? '')), k);
		}
		assert.equal(await page.getAttribute('#cascade-figures ' +
		    '[data-key="overdue_receivables"]', 'data-value'),
		    String(c.overdue_receivables));
		await shot(page, 'treasury-cascade');
		/* Up the chain: the customer's own cascade. */
		const up = c.customers[0].customer_id;
		await page.click(`#cascade a[href="#/runs/${fx.runs.plain}/` +
		    `cascade/${up}/${NL}"]`);
		await page.waitForSelector(`h1:has-text("(${up})")`);
		await page.close();
	});

	await test('supplier: its own customers and suppliers are the API\'s, ' +
	    'and the schedule says customers are taken to pay on time',
	    async () => {
		const page = await newPage();
		await signIn(page, fx.keys.supplier);
		await page.waitForSelector('#suppliers tbody tr');
		const mine = await get(`/v1/suppliers/${fx.supplier}/suppliers`,
		    fx.keys.supplier);
		assert.ok(mine.items.length > 0);
		assert.deepEqual(await column(page, 'suppliers', 'supplier_id'),
		    mine.items.map((l) => l.supplier_id));
		assert.deepEqual(await column(page, 'suppliers', 'daily_sales'),
		    mine.items.map((l) => String(l.daily_sales)));
		assert.ok(await page.$('#customers-none'));
		assert.ok(await page.$('#on-time-note'));
		await shot(page, 'supplier-links');
		await page.close();

		const other = await newPage();
		await signIn(other, fx.keys.other);
		await other.waitForSelector('#customers tbody tr');
		const cust = await get(`/v1/suppliers/${fx.otherSupplier}/` +
		    'customers', fx.keys.other);
		assert.deepEqual(await column(other, 'customers', 'customer_id'),
		    cust.items.map((l) => l.customer_id));
		await other.waitForSelector('#payments tbody tr');
		const sc = await get(`/v1/suppliers/${fx.otherSupplier}/schedule`,
		    fx.keys.other);
		assert.equal(sc.customers_pay_on_time, true);
		assert.deepEqual(await column(other, 'payments', 'customer_id'),
		    sc.payments.map((p) => p.customer_id ?? ''));
		await shot(other, 'supplier-customer-payments');
		await other.close();
	});

	await test('supplier: another supplier\'s page shows nothing of it',
	    async () => {
		const page = await newPage();
		await signIn(page, fx.keys.supplier);
		await page.waitForSelector('#payments tbody tr');
		await page.goto(`${BASE}/#/supplier/${fx.otherSupplier}`);
		await page.waitForSelector('#not-found');
		assert.equal(await page.$('#payments'), null);
		assert.equal(await page.$('#declaration'), null);
		const text = await page.textContent('main');
		assert.ok(!text.includes('Browser Test Supplier 9'));
		await shot(page, 'supplier-other-refused');
		await page.close();
	});

	await test('supplier: the declaration shows the API\'s 422 beside ' +
	    'the field, then saves', async () => {
		const page = await newPage();
		await signIn(page, fx.keys.supplier);
		await page.waitForSelector('#declaration');
		await page.fill('#f-credit_available', '-5');
		await page.click('#declaration button[type=submit]');
		await page.waitForSelector('#err-credit_available:not(:empty)');
		assert.match(await page.textContent('#err-credit_available'),
		    /between 0/);
		assert.equal(await page.getAttribute('#f-credit_available',
		    'aria-invalid'), 'true');
		await shot(page, 'supplier-declaration-error');
		await page.fill('#f-credit_available', '0');
		await page.fill('#f-cash', '25,000.50');
		await page.click('#declaration button[type=submit]');
		await page.waitForSelector('#decl-result:has-text("Saved")');
		const s = await get(`/v1/suppliers/${fx.supplier}`,
		    fx.keys.supplier);
		assert.equal(s.cash, 2500050);
		await page.close();
	});

	await test('government: exposure tables, suppressed groups, ' +
	    'totals and CSV are the API\'s, signature verified', async () => {
		const page = await newPage();
		const G = fx.keys.government;
		await signIn(page, G);
		await page.waitForSelector('#signature');
		assert.equal(await page.getAttribute('#signature',
		    'data-verified'), 'true');
		const ex = await get('/v1/exposure?group_by=region', G);
		assert.deepEqual(await column(page, 'exposure-table', 'key'),
		    ex.groups.map((g) => g.key));
		assert.deepEqual(await column(page, 'exposure-table',
		    'funding_gap'), ex.groups.map((g) =>
		    String(g.funding_gap ?? '')));
		await shot(page, 'government');
		await page.selectOption('#group-by', 'tier');
		await page.click('form.controls button[type=submit]');
		await page.waitForSelector('#exposure-table caption:has-text(' +
		    '"tier")');
		const tier = await get('/v1/exposure?group_by=tier', G);
		assert.ok(tier.groups.some((g) => g.suppressed));
		const rows = await page.$$eval('#exposure-table tbody tr',
		    (trs) => trs.map((tr) => tr.className));
		assert.deepEqual(rows, tier.groups.map((g) => (g.suppressed ?
		    'suppressed' : '')));
		assert.match(await page.textContent(
		    '#exposure-table tbody tr.suppressed'), /suppressed/);
		for (const k of ['suppliers', 'employees_at_risk',
		    'funding_gap']) {
			assert.deepEqual(await column(page, 'exposure-table', k,
			    'tfoot'), [String(tier.totals[k] ?? '')], k);
		}
		assert.equal(await page.getAttribute('#signature',
		    'data-verified'), 'true');
		const csv = await download(page, '#exposure-csv');
		assert.equal(csv, await get('/v1/exposure?group_by=tier', G,
		    'text/csv'));
		await shot(page, 'government-tier');
		await page.setViewportSize(PHONE);
		await shot(page, 'government-phone');
		await page.close();
	});

	await test('government: the expected firms and jobs at risk per ' +
	    'group are the API\'s, withheld where it withholds them',
	    async () => {
		const page = await newPage();
		const G = fx.keys.government;
		await signIn(page, G);
		await page.waitForSelector('#signature');
		await page.waitForSelector('#expected-note');
		const ex = await get('/v1/exposure?group_by=region', G);
		for (const k of ['expected_suppliers_below',
		    'expected_employees_at_risk']) {
			assert.deepEqual(await column(page, 'exposure-expected', k),
			    ex.groups.map((g) => String(g[k] ?? '')), k);
			assert.deepEqual(await column(page, 'exposure-expected', k,
			    'tfoot'), [String(ex.totals[k] ?? '')], k);
		}
		/* The distribution they weigh by, as the signed body names it. */
		assert.equal(ex.outage_probabilities.length, 4);
		assert.match(await page.textContent('#expected-probabilities'),
		    /^7 days: 10%, 23 days: 25%, 30 days: 40%, 40 days: 25%$/);
		/* A null is shown as withheld (or the group as suppressed). */
		const shownText = await page.$$eval('#exposure-expected tbody ' +
		    '[data-key="expected_suppliers_below"]', (c) =>
		    c.map((x) => x.textContent));
		ex.groups.forEach((g, i) => assert.equal(shownText[i],
		    g.suppressed ? 'suppressed' : (g.expected_suppliers_below ===
		    null ? 'withheld' : String(g.expected_suppliers_below))));
		/* The same at another outage length. */
		await page.fill('#exp-outage', '23');
		await page.click('form.controls button[type=submit]');
		await page.waitForSelector('#exposure-table caption:has-text(' +
		    '"23 days")');
		const ex23 = await get('/v1/exposure?group_by=region&' +
		    'outage_days=23', G);
		assert.deepEqual(ex23.groups.map((g) =>
		    g.expected_suppliers_below), ex.groups.map((g) =>
		    g.expected_suppliers_below));
		assert.deepEqual(await column(page, 'exposure-expected',
		    'expected_suppliers_below'), ex23.groups.map((g) =>
		    String(g.expected_suppliers_below ?? '')));
		await shot(page, 'government-expected');
		await page.close();
	});

	await test('government: the per-tier table and the exposure by ' +
	    'group over outage length are the API\'s, signed', async () => {
		const page = await newPage();
		const G = fx.keys.government;
		await signIn(page, G);
		await page.waitForSelector('#tiers tbody tr');
		await page.waitForSelector('#exposure-curve canvas');
		const ex = await get('/v1/exposure?group_by=region', G);
		const tiers = await get(`/v1/stress-runs/${ex.run_id}/tiers?` +
		    `outage_days=${ex.outage_days}`, G);
		for (const k of ['tier', 'suppliers', 'suppliers_below',
		    'suppliers_below_contagion', 'funding_gap',
		    'overdue_trade_credit']) {
			assert.deepEqual(await column(page, 'tiers', k),
			    tiers.tiers.map((t) => String(t[k] ?? '')), k);
		}
		const curve = await get('/v1/exposure/curve?group_by=region&' +
		    `run=${ex.run_id}`, G);
		assert.deepEqual(await column(page, 'exposure-curve-data',
		    'outage_days'), curve.curve.map((c) =>
		    String(c.outage_days)));
		for (const [i, g] of curve.curve[0].groups.entries()) {
			assert.deepEqual(await column(page,
			    'exposure-curve-data', `g${i}`), curve.curve.map(
			    (c) => (c.groups[i].suppressed ||
			    c.groups[i].at_risk_suppressed ? '' :
			    String(c.groups[i].suppliers_below))), g.key);
		}
		/* One pattern for every length: a group hidden is hidden at all. */
		for (const [i] of curve.curve[0].groups.entries()) {
			const sup = curve.curve.map((c) => c.groups[i].suppressed);
			assert.ok(sup.every((v) => v === sup[0]));
		}
		assert.equal(await page.getAttribute('#tiers-signature',
		    'data-verified'), 'true');
		assert.equal(await page.getAttribute('#curve-signature',
		    'data-verified'), 'true');
		await shot(page, 'government-tiers-curve');
		await page.close();

		/* Treasury's tiers are uncontrolled: every figure shows. */
		const tp = await newPage();
		await signIn(tp, T);
		await tp.waitForSelector('#runs tbody tr');
		await tp.goto(`${BASE}/#/exposure`);
		await tp.waitForSelector('#tiers tbody tr');
		const tex = await get('/v1/exposure?group_by=region', T);
		const tt = await get(`/v1/stress-runs/${tex.run_id}/tiers?` +
		    `outage_days=${tex.outage_days}`, T);
		assert.ok(tt.tiers.every((t) => t.suppliers_below !== null));
		for (const k of ['suppliers_below', 'suppliers_below_contagion',
		    'employees_at_risk', 'funding_gap']) {
			assert.deepEqual(await column(tp, 'tiers', k),
			    tt.tiers.map((t) => String(t[k])), k);
		}
		await shot(tp, 'treasury-exposure-tiers');
		await tp.close();
	});

	await test('government: a response changed by one byte is shown as ' +
	    'not verified', async () => {
		const page = await newPage();
		await page.route(/\/v1\/exposure\?/, async (route) => {
			const res = await route.fetch();
			const body = Buffer.from(await res.body());
			const i = body.indexOf('"employees":') + 12;
			body[i] = body[i] === 0x39 ? 0x38 : body[i] + 1;
			await route.fulfill({ response: res, body });
		});
		await signIn(page, fx.keys.government);
		await page.waitForSelector('#signature');
		assert.equal(await page.getAttribute('#signature',
		    'data-verified'), 'false');
		assert.match(await page.textContent('#signature'),
		    /NOT verified/);
		await shot(page, 'government-tampered');
		await page.close();
	});

	await test('treasury: a facility sizing made from a run\'s page ' +
	    'shows the API\'s points, answer and CSV, and is shown again',
	    async () => {
		const page = await newPage();
		await signIn(page, T);
		await page.waitForSelector('#runs tbody tr');
		await page.goto(`${BASE}/#/runs/${fx.runs.scheme}`);
		await page.waitForSelector('#sizing-form');
		assert.equal(await page.inputValue('#sizing-scheme'), 'BT-ALL');
		await page.fill('#sizing-outage', String(L));
		await page.fill('#sizing-steps', '10');
		await page.click('#sizing-run');
		await page.waitForSelector('#sizing-points tbody tr',
		    { state: 'attached' });
		const list = await get(`/v1/facility-sizing?run_id=` +
		    `${fx.runs.scheme}`, T);
		assert.ok(list.items.length >= 1);
		const z = await get(`/v1/facility-sizing/${list.items[0].id}`,
		    T);
		assert.equal(z.outage_days, L);
		assert.equal(z.steps, 10);
		assert.equal(z.points.length, 11);
		assert.ok(z.unlimited_peak > 0);
		for (const k of ['facility_limit', 'suppliers_below',
		    'employees_at_risk', 'funding_gap', 'early_paid', 'fees',
		    'oem_cost', 'peak_facility_use']) {
			assert.deepEqual(await column(page, 'sizing-points', k),
			    z.points.map((p) => String(p[k])), k);
		}
		for (const k of ['unlimited_peak', 'target_suppliers_below',
		    'smallest_sufficient_limit']) {
			assert.equal(await page.getAttribute(`#sizing-figures ` +
			    `[data-key="${k}"]`, 'data-value'),
			    z[k] === null ? '' : String(z[k]), k);
		}
		assert.ok(await page.$('#sizing-below-chart canvas'));
		assert.ok(await page.$('#sizing-cost-chart canvas'));
		const csv = await download(page, '#sizing-csv');
		assert.equal(csv, await get(`/v1/facility-sizing/${z.id}`, T,
		    'text/csv'));
		await page.locator('#sizing').screenshot({ path: path.join(SHOTS,
		    'treasury-sizing.png') });

		/* Back on the page, the run's newest sizing is shown. */
		await page.goto(`${BASE}/#/runs/${fx.runs.plain}`);
		await page.waitForSelector('#sizing-form');
		await page.goto(`${BASE}/#/runs/${fx.runs.scheme}`);
		await page.waitForSelector(`#sizing-title:has-text("Sizing ` +
		    `${z.id}:")`);
		assert.deepEqual(await page.$$eval('#sizing-pick option',
		    (o) => o.map((x) => x.value)),
		    list.items.map((x) => String(x.id)));
		await page.setViewportSize(PHONE);
		await page.locator('#sizing').screenshot({ path: path.join(SHOTS,
		    'treasury-sizing-phone.png') });
		await page.close();
	});

	await test('no page error, CSP violation or request outside the ' +
	    'service on any page', async () => {
		assert.deepEqual(problems, []);
	});
} finally {
	await browser.close();
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
