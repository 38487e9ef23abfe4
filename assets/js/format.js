// Money (the API's integers are pence) and dates, the same everywhere.

const pounds = new Intl.NumberFormat('en-GB', {
	style: 'currency', currency: 'GBP',
});
const count = new Intl.NumberFormat('en-GB');
const day = new Intl.DateTimeFormat('en-GB', {
	day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC',
});

export function money(pence) {
	if (pence === null || pence === undefined)
		return '–';
	return pounds.format(pence / 100);
}

// Short money for chart axes: £1.2m, £350k.
export function moneyShort(pence) {
	const v = pence / 100;
	const a = Math.abs(v);
	if (a >= 1e9)
		return `£${(v / 1e9).toFixed(1)}bn`;
	if (a >= 1e6)
		return `£${(v / 1e6).toFixed(1)}m`;
	if (a >= 1e3)
		return `£${(v / 1e3).toFixed(0)}k`;
	return `£${v.toFixed(0)}`;
}

export function num(n) {
	if (n === null || n === undefined)
		return '–';
	return count.format(n);
}

// Basis points as a percentage: 2500 is 25%, 1234 is 12.34%.
export function pct(bps) {
	if (bps === null || bps === undefined)
		return '–';
	return `${(bps / 100).toLocaleString('en-GB', {
	    maximumFractionDigits: 2 })}%`;
}

export function date(s) {
	if (!s)
		return '–';
	return day.format(new Date(`${s.slice(0, 10)}T00:00:00Z`));
}

export function dateTime(s) {
	if (!s)
		return '–';
	return new Date(s).toLocaleString('en-GB', { timeZone: 'UTC' }) +
	    ' UTC';
}

// Pounds as typed ("1,234.56", "-50") to pence; null if it is not money.
export function parsePounds(text) {
	const t = text.replace(/[£,\s]/g, '');
	if (!/^-?\d+(\.\d{1,2})?$/.test(t))
		return null;
	const neg = t.startsWith('-');
	const [whole, frac = ''] = t.replace('-', '').split('.');
	const p = Number(whole) * 100 + Number(frac.padEnd(2, '0'));
	return neg ? -p : p;
}

export function poundsInput(pence) {
	const neg = pence < 0;
	const a = Math.abs(pence);
	const s = `${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
	return neg ? `-${s}` : s;
}

// Date string to seconds since the epoch (uPlot's time axis).
export function epoch(s) {
	return Date.parse(`${s}T00:00:00Z`) / 1000;
}
