// Line charts on uPlot (served from /vendor/, built by make): curves over
// outage lengths or dates, with vertical markers (announcements, breach
// date, labelled at the top; outage probabilities with `bottom`, at the
// foot) and an optional dashed horizontal threshold.
import uPlot from '/vendor/uPlot.esm.js';

const COLOURS = ['#0b5cad', '#c4320a', '#17703a', '#7a3ea1', '#a15c00',
    '#006d75'];

export function lineChart(box, opt) {
	const data = [opt.x, ...opt.series.map((s) => s.values)];
	const series = [{ label: opt.xLabel, value: opt.xValue }];
	opt.series.forEach((s, i) => {
		series.push({
			label: s.label,
			stroke: s.colour || COLOURS[i % COLOURS.length],
			width: 2,
			dash: s.dash,
			fill: s.fill,
			value: (u, v) => (v === null ? '–' : opt.yFmt(v)),
			points: { show: false },
		});
	});
	const markers = opt.markers || [];
	const width = () => Math.max(280, box.clientWidth || 600);
	const u = new uPlot({
		width: width(),
		height: opt.height || 320,
		scales: { x: { time: !!opt.time }, ...(opt.yFromZero ? {
		    y: { range: (u2, min, max) => [0, Math.max(1, max)] } } :
		    {}) },
		series,
		axes: [
			{ label: opt.xLabel, values: opt.xAxis },
			{ label: opt.yLabel, size: 70,
			    values: (u2, vals) => vals.map((v) => opt.yAxis(v)) },
		],
		hooks: {
			draw: [(u2) => drawMarkers(u2, markers)],
		},
	}, data, box);
	const ro = new ResizeObserver(() => u.setSize({ width: width(),
	    height: opt.height || 320 }));
	ro.observe(box);
	return u;
}

function drawMarkers(u, markers) {
	const ctx = u.ctx;
	const { top, height } = u.bbox;
	ctx.save();
	ctx.font = `${12 * devicePixelRatio}px system-ui, sans-serif`;
	ctx.textBaseline = 'top';
	markers.forEach((m, i) => {
		const x = Math.round(u.valToPos(m.x, 'x', true));
		if (!Number.isFinite(x))
			return;
		ctx.strokeStyle = m.colour || '#57606a';
		ctx.fillStyle = m.colour || '#57606a';
		ctx.setLineDash([5 * devicePixelRatio, 4 * devicePixelRatio]);
		ctx.lineWidth = devicePixelRatio;
		ctx.beginPath();
		ctx.moveTo(x, top);
		ctx.lineTo(x, top + height);
		ctx.stroke();
		/* A label that would leave the plot goes left of its line. */
		let tx = x + 4 * devicePixelRatio;
		const w = ctx.measureText(m.label).width;
		if (tx + w > u.bbox.left + u.bbox.width)
			tx = x - 4 * devicePixelRatio - w;
		if (m.bottom)
			ctx.fillText(m.label, tx, top + height - 18 *
			    devicePixelRatio);
		else
			ctx.fillText(m.label, tx, top + 4 + (i % 3) * 15 *
			    devicePixelRatio);
	});
	ctx.restore();
}
