// The dashboard's entry point: sign-in with an API key (kept in
// sessionStorage for this tab only, never in the URL), the role found by
// probing the API, and a small hash router to the views that role may use.
import { clearSession, request, saveSession, session } from
    '/js/api.js';
import { clear, el } from '/js/dom.js';
import { cascadeView, runList, runView } from '/js/treasury.js';
import { supplierView } from '/js/supplier.js';
import { exposureView } from '/js/government.js';

const main = document.getElementById('main');

const ROUTES = [
	{ re: /^#\/runs$/, roles: ['treasury'], view: runList },
	{ re: /^#\/runs\/(\d+)$/, roles: ['treasury'], view: runView },
	{ re: /^#\/runs\/(\d+)\/cascade\/([^/]+)\/(\d+)$/,
	    roles: ['treasury'], view: cascadeView },
	{ re: /^#\/supplier\/([^/]+)$/, roles: ['treasury', 'supplier'],
	    view: supplierView },
	{ re: /^#\/exposure$/, roles: ['treasury', 'government'],
	    view: exposureView },
];

function home(s) {
	if (s.role === 'treasury')
		return '#/runs';
	if (s.role === 'government')
		return '#/exposure';
	return `#/supplier/${encodeURIComponent(s.supplier_id)}`;
}

function navLinks(s) {
	if (s.role === 'treasury')
		return [['#/runs', 'Stress runs'], ['#/exposure', 'Exposure']];
	if (s.role === 'government')
		return [['#/exposure', 'Exposure']];
	return [[home(s), 'My payments and runway']];
}

function header(s) {
	const nav = clear(document.getElementById('nav'));
	const who = clear(document.getElementById('who'));
	if (!s)
		return;
	for (const [href, label] of navLinks(s)) {
		const current = location.hash === href ||
		    (href === '#/runs' && location.hash.startsWith('#/runs/'));
		nav.append(el('a', { href, 'aria-current': current ? 'page' :
		    null }, label));
	}
	who.append(`Signed in: ${s.role}` + (s.supplier_id ?
	    ` (${s.supplier_id})` : ''), el('button', { type: 'button',
	    id: 'signout', onclick: () => {
		clearSession();
		location.hash = '#/';
		route();
	} }, 'Sign out'));
}

// Which role the key has, and a supplier key's supplier: GET /v1/me.
async function probe(key) {
	const res = await request('/v1/me', { key });
	if (res.status === 401) {
		throw new Error('This API key was not accepted: it is wrong ' +
		    'or has been revoked.');
	}
	if (res.status !== 200)
		throw new Error(`The service answered ${res.status}; try again.`);
	const me = await res.json();
	return me.role === 'supplier' ? { key, role: me.role,
	    supplier_id: me.supplier_id } : { key, role: me.role };
}

function signInView(message) {
	header(null);
	const msg = el('p', { id: 'signin-error', class: 'error',
	    role: 'alert' }, message || '');
	const key = el('input', { id: 'key', type: 'password', required: true,
	    autocomplete: 'off', spellcheck: 'false',
	    'aria-describedby': 'signin-error' });
	const button = el('button', { type: 'submit' }, 'Sign in');
	const form = el('form', { class: 'signin', id: 'signin',
	    onsubmit: async (ev) => {
		ev.preventDefault();
		button.disabled = true;
		msg.textContent = '';
		try {
			const s = await probe(key.value.trim());
			saveSession(s);
			location.hash = home(s);
			route();
		} catch (e) {
			msg.textContent = e.message;
			key.focus();
		} finally {
			button.disabled = false;
		}
	} },
	    el('h1', {}, 'Sign in'),
	    el('p', { class: 'muted' }, 'Use the API key you were given. ' +
	    'It is kept in this browser tab only, until you sign out or ' +
	    'close it.'),
	    el('label', { for: 'key' }, 'API key'), key, msg,
	    el('p', {}, button));
	clear(main).append(form);
	key.focus();
}

async function route() {
	const s = session();
	if (!s) {
		signInView();
		return;
	}
	if (location.hash === '' || location.hash === '#/') {
		location.replace(home(s));
		return;
	}
	header(s);
	for (const r of ROUTES) {
		const m = location.hash.match(r.re);
		if (!m)
			continue;
		if (!r.roles.includes(s.role))
			break;
		clear(main).append(el('p', { class: 'muted' }, 'Loading…'));
		await r.view(main, s, ...m.slice(1).map(decodeURIComponent));
		return;
	}
	clear(main).append(el('h1', {}, 'Not here'), el('p', {},
	    'There is no such page for your role. ', el('a', { href: home(s) },
	    'Back to your overview.')));
}

window.addEventListener('hashchange', route);
window.addEventListener('tideover-signed-out', () => {
	clearSession();
	signInView('Your key is no longer accepted (it may have been ' +
	    'revoked). Sign in again.');
});
route();
