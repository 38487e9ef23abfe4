// The REST API as the page uses it: the key from sessionStorage on every
// request, JSON errors turned into ApiError, CSV pages followed through
// their cursors.

const STORE = 'tideover.session';

export function session() {
	const s = sessionStorage.getItem(STORE);
	return s ? JSON.parse(s) : null;
}

export function saveSession(s) {
	sessionStorage.setItem(STORE, JSON.stringify(s));
}

export function clearSession() {
	sessionStorage.removeItem(STORE);
}

export class ApiError extends Error {
	constructor(status, body) {
		const e = body && body.error ? body.error : {};
		super(e.message || `the service answered ${status}`);
		this.status = status;
		this.code = e.code || '';
		this.details = e.details || [];
	}
}

// One request with an explicit key (sign-in) or the session's.
export async function request(path, opts = {}) {
	const key = opts.key || (session() || {}).key;
	const headers = { Authorization: `Bearer ${key}` };
	if (opts.body !== undefined)
		headers['Content-Type'] = 'application/json';
	if (opts.accept)
		headers.Accept = opts.accept;
	return fetch(path, {
		method: opts.method || 'GET',
		headers,
		body: opts.body === undefined ? undefined :
		    JSON.stringify(opts.body),
		cache: 'no-store',
		credentials: 'omit',
	});
}

async function fail(res) {
	let body = null;
	try {
		body = await res.json();
	} catch (e) {
		body = null;
	}
	return new ApiError(res.status, body);
}

export async function api(path, opts = {}) {
	const res = await request(path, opts);
	if (res.status === 401 && !opts.key) {
		window.dispatchEvent(new CustomEvent('tideover-signed-out'));
	}
	if (!res.ok)
		throw await fail(res);
	if (res.status === 204)
		return null;
	return res.json();
}

// A whole report as CSV: every page, the header row once.
export async function csvAll(path) {
	const sep = path.includes('?') ? '&' : '?';
	let cursor = null;
	let out = '';
	do {
		const url = `${path}${sep}limit=1000` +
		    (cursor ? `&cursor=${encodeURIComponent(cursor)}` : '');
		const res = await request(url, { accept: 'text/csv' });
		if (!res.ok)
			throw await fail(res);
		let text = await res.text();
		if (out !== '')
			text = text.slice(text.indexOf('\n') + 1);
		out += text;
		cursor = res.headers.get('X-Next-Cursor');
	} while (cursor);
	return out;
}

// A CSV that is not paginated (exposure).
export async function csvOne(path) {
	const res = await request(path, { accept: 'text/csv' });
	if (!res.ok)
		throw await fail(res);
	return res.text();
}

export function query(params) {
	const q = new URLSearchParams();
	for (const [k, v] of Object.entries(params)) {
		if (v !== undefined && v !== null && v !== '')
			q.set(k, String(v));
	}
	const s = q.toString();
	return s ? `?${s}` : '';
}
