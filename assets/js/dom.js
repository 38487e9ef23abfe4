// Building the page without innerHTML: elements, accessible tables,
// downloads and messages.

export function el(tag, attrs = {}, ...children) {
	const e = document.createElement(tag);
	for (const [k, v] of Object.entries(attrs)) {
		if (v === undefined || v === null || v === false)
			continue;
		if (k === 'class')
			e.className = v;
		else if (k === 'text')
			e.textContent = v;
		else if (k.startsWith('on'))
			e.addEventListener(k.slice(2), v);
		else
			e.setAttribute(k, v === true ? '' : v);
	}
	for (const c of children.flat()) {
		if (c === null || c === undefined || c === false)
			continue;
		e.append(c instanceof Node ? c : document.createTextNode(c));
	}
	return e;
}

export function clear(node) {
	while (node.firstChild)
		node.firstChild.remove();
	return node;
}

/*
 * A table: columns are {key, label, num, fmt(value, row)}; each cell keeps
 * the raw value in data-value so that tests and copy-paste see the API's
 * number. Sorting, when asked for, reorders the rows on the page.
 */
export function table({ caption, columns, rows, id, sortable, footer,
    rowClass }) {
	const tbody = el('tbody');
	let order = { key: null, dir: 1 };

	function cell(c, row) {
		const v = row[c.key];
		const shown = c.fmt ? c.fmt(v, row) : (v ?? '–');
		const td = el('td', {
			class: c.num ? 'num' : null,
			'data-key': c.key,
			'data-value': v === null || v === undefined ? '' :
			    (typeof v === 'object' ? null : String(v)),
		}, shown);
		return td;
	}

	function fill() {
		clear(tbody);
		let list = rows.slice();
		if (order.key !== null) {
			list.sort((a, b) => compare(a[order.key],
			    b[order.key]) * order.dir);
		}
		for (const r of list) {
			const tr = el('tr', { class: rowClass ? rowClass(r) :
			    null });
			columns.forEach((c, i) => {
				const td = cell(c, r);
				if (i === 0 && c.rowHeader) {
					const th = el('th', { scope: 'row',
					    class: td.className || null,
					    'data-key': c.key,
					    'data-value': td.dataset.value });
					th.append(...td.childNodes);
					tr.append(th);
				} else {
					tr.append(td);
				}
			});
			tbody.append(tr);
		}
		if (rows.length === 0) {
			tbody.append(el('tr', {}, el('td', {
			    colspan: columns.length, class: 'muted' },
			    'No rows.')));
		}
	}

	const heads = columns.map((c) => {
		const th = el('th', { scope: 'col', class: c.num ? 'num' : null,
		    'data-key': c.key });
		if (sortable) {
			th.setAttribute('aria-sort', 'none');
			th.append(el('button', { type: 'button', class: 'sort',
			    onclick: () => {
				order = { key: c.key, dir: order.key === c.key ?
				    -order.dir : 1 };
				for (const h of thead.querySelectorAll('th'))
					h.setAttribute('aria-sort', 'none');
				th.setAttribute('aria-sort', order.dir > 0 ?
				    'ascending' : 'descending');
				fill();
			} }, c.label));
		} else {
			th.textContent = c.label;
		}
		return th;
	});
	const thead = el('thead', {}, el('tr', {}, heads));
	fill();
	const t = el('table', { id }, el('caption', {}, caption), thead,
	    tbody);
	if (footer)
		t.append(el('tfoot', {}, footer));
	return el('div', { class: 'table-wrap' }, t);
}

function compare(a, b) {
	const na = a === null || a === undefined;
	const nb = b === null || b === undefined;
	if (na || nb)
		return na === nb ? 0 : (na ? 1 : -1);
	if (typeof a === 'number' && typeof b === 'number')
		return a - b;
	return String(a).localeCompare(String(b), 'en-GB', { numeric: true });
}

export function download(name, text, type = 'text/csv') {
	const url = URL.createObjectURL(new Blob([text], { type }));
	const a = el('a', { href: url, download: name });
	document.body.append(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 10000);
}

export function announce(text) {
	const s = document.getElementById('status');
	s.textContent = text;
	setTimeout(() => {
		if (s.textContent === text)
			s.textContent = '';
	}, 4000);
}

export function errorBox(err) {
	return el('p', { class: 'error', role: 'alert' }, err.message ||
	    String(err));
}

// A figure list: [[label, value, key]] with the raw value kept.
export function figures(items, id) {
	return el('dl', { class: 'figures', id }, items.map(([label, shown,
	    key, raw]) => el('div', { 'data-key': key, 'data-value':
	    raw === null || raw === undefined ? '' : String(raw) },
	    el('dt', {}, label), el('dd', {}, shown))));
}
