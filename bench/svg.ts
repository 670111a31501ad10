/**
 * The throughput plot, as a self-contained SVG: numbers per second against numbers in flight
 * (connections × numbers per request), both on log scales, so the bound C·B/L is a straight
 * line per latency. Written by hand: no plotting dependency.
 */

export interface PlotPoint {
	connections: number;
	batch: number;
	latencyMs: number;
	n: number;
	measuredN: number;
	throughput: number;
	ratio: number;
}

export interface PlotCeiling {
	connections: number;
	batch: number;
	latencyMs: number;
	throughput: number;
}

export interface PlotBaseline {
	connections: number;
	latencyMs: number;
	n: number;
	throughput: number;
}

const WIDTH = 840;
const HEIGHT = 520;
const MARGIN = { left: 78, right: 230, top: 48, bottom: 62 };
const COLOURS: Record<number, string> = { 50: '#1f77b4', 500: '#d62728' };
const FALLBACK_COLOUR = '#555555';

const escape = (text: string) =>
	text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const fmt = (value: number) =>
	Number.isInteger(value) || value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toPrecision(3);

/** The 1-2-5 step at or below (down) or at or above (up) a positive value. */
function niceStep(value: number, direction: 'down' | 'up'): number {
	const decade = Math.pow(10, Math.floor(Math.log10(value)));
	const steps = [1, 2, 5, 10].map((m) => m * decade);
	return direction === 'down'
		? [...steps].reverse().find((step) => step <= value) ?? decade
		: steps.find((step) => step >= value) ?? 10 * decade;
}

export function throughputSvg(
	points: readonly PlotPoint[],
	baselines: readonly PlotBaseline[],
	ceilings: readonly PlotCeiling[],
	subtitle: string,
): string {
	const latencies = [...new Set(points.map((p) => p.latencyMs))].sort((a, b) => a - b);
	const inFlight = points.map((p) => p.connections * p.batch);
	for (const b of baselines) inFlight.push(b.connections);
	const values = points.flatMap((p) => [p.throughput, (p.connections * p.batch * 1000) / p.latencyMs]);
	for (const b of baselines) values.push(b.throughput);
	for (const c of ceilings) values.push(c.throughput);

	const xMin = Math.pow(10, Math.floor(Math.log10(Math.min(...inFlight) * 0.8)));
	const xMax = Math.pow(10, Math.ceil(Math.log10(Math.max(...inFlight) * 1.25)));
	const yMin = niceStep(Math.min(...values) * 0.8, 'down');
	const yMax = niceStep(Math.max(...values) * 1.25, 'up');
	const plotW = WIDTH - MARGIN.left - MARGIN.right;
	const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
	const x = (v: number) =>
		MARGIN.left + ((Math.log10(v) - Math.log10(xMin)) / (Math.log10(xMax) - Math.log10(xMin))) * plotW;
	const y = (v: number) =>
		MARGIN.top + plotH - ((Math.log10(v) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))) * plotH;

	const out: string[] = [];
	out.push(
		`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
		`<defs><clipPath id="plot"><rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}"/></clipPath></defs>`,
		`<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
		`<text x="${MARGIN.left}" y="22" font-size="15" font-weight="bold">Throughput against connections × numbers per request</text>`,
		`<text x="${MARGIN.left}" y="38" fill="#555">${escape(subtitle)}</text>`,
	);

	// Decade grid and tick labels (1, 2, 5 within each decade on both axes).
	const ticks = (lo: number, hi: number) => {
		const result: Array<{ value: number; major: boolean }> = [];
		for (let decade = Math.pow(10, Math.floor(Math.log10(lo))); decade < hi * 1.0001; decade *= 10) {
			for (const m of [1, 2, 5]) {
				const value = decade * m;
				if (value >= lo * 0.9999 && value <= hi * 1.0001) result.push({ value, major: m === 1 });
			}
		}
		return result;
	};
	for (const { value, major } of ticks(xMin, xMax)) {
		const px = x(value).toFixed(1);
		out.push(
			`<line x1="${px}" y1="${MARGIN.top}" x2="${px}" y2="${MARGIN.top + plotH}" stroke="${major ? '#d0d0d0' : '#eeeeee'}"/>`,
			`<text x="${px}" y="${MARGIN.top + plotH + 16}" text-anchor="middle" fill="#333">${fmt(value)}</text>`,
		);
	}
	for (const { value, major } of ticks(yMin, yMax)) {
		const py = y(value).toFixed(1);
		out.push(
			`<line x1="${MARGIN.left}" y1="${py}" x2="${MARGIN.left + plotW}" y2="${py}" stroke="${major ? '#d0d0d0' : '#eeeeee'}"/>`,
			`<text x="${MARGIN.left - 6}" y="${(Number(py) + 4).toFixed(1)}" text-anchor="end" fill="#333">${fmt(value)}</text>`,
		);
	}
	out.push(
		`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#888"/>`,
		`<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 18}" text-anchor="middle">numbers in flight = connections C × numbers per request B (log)</text>`,
		`<text transform="translate(18 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">numbers per second (log)</text>`,
	);

	// The bound per latency: C·B/L, a straight line of slope 1 on log–log axes.
	for (const latency of latencies) {
		const colour = COLOURS[latency] ?? FALLBACK_COLOUR;
		const y1 = (xMin * 1000) / latency;
		const y2 = (xMax * 1000) / latency;
		out.push(
			`<line x1="${x(xMin).toFixed(1)}" y1="${y(y1).toFixed(1)}" x2="${x(xMax).toFixed(1)}" y2="${y(y2).toFixed(1)}" stroke="${colour}" stroke-width="1.5" stroke-dasharray="6 4" clip-path="url(#plot)"/>`,
		);
	}

	// Measured cells: circles for N = 10,000, squares for larger N; hollow when capped.
	const sizes = [...new Set(points.map((p) => p.n))].sort((a, b) => a - b);
	for (const p of points) {
		const colour = COLOURS[p.latencyMs] ?? FALLBACK_COLOUR;
		const px = x(p.connections * p.batch);
		const py = y(p.throughput);
		const big = sizes.length > 1 && p.n === sizes[sizes.length - 1];
		const offset = big ? 5 : -5;
		const fill = p.measuredN < p.n ? '#ffffff' : colour;
		const title = `C=${p.connections} B=${p.batch} L=${p.latencyMs} ms, N=${p.n.toLocaleString('en-US')} (measured ${p.measuredN.toLocaleString('en-US')}): ${fmt(p.throughput)}/s, ${p.ratio.toFixed(2)} of bound`;
		const shape = big
			? `<rect x="${(px + offset - 4).toFixed(1)}" y="${(py - 4).toFixed(1)}" width="8" height="8" fill="${fill}" stroke="${colour}" stroke-width="1.5">`
			: `<circle cx="${(px + offset).toFixed(1)}" cy="${py.toFixed(1)}" r="4.5" fill="${fill}" stroke="${colour}" stroke-width="1.5">`;
		out.push(`${shape}<title>${escape(title)}</title>${big ? '</rect>' : '</circle>'}`);
	}
	// What a bare client gets from the sandbox: the test rig's own limit.
	for (const c of ceilings) {
		const px = x(c.connections * c.batch);
		const py = y(c.throughput);
		out.push(
			`<path d="M ${(px - 5).toFixed(1)} ${(py - 5).toFixed(1)} L ${(px + 5).toFixed(1)} ${(py + 5).toFixed(1)} M ${(px - 5).toFixed(1)} ${(py + 5).toFixed(1)} L ${(px + 5).toFixed(1)} ${(py - 5).toFixed(1)}" stroke="#000" stroke-width="1.5"><title>${escape(`sandbox ceiling (bare client) C=${c.connections} B=${c.batch} L=${c.latencyMs} ms: ${fmt(c.throughput)}/s`)}</title></path>`,
		);
	}
	// Labels once per (C, B, L), left of the points.
	const labelled = new Set<string>();
	for (const p of points) {
		const key = `${p.connections}/${p.batch}/${p.latencyMs}`;
		if (labelled.has(key)) continue;
		labelled.add(key);
		out.push(
			`<text x="${(x(p.connections * p.batch) - 12).toFixed(1)}" y="${(y(p.throughput) - 8).toFixed(1)}" text-anchor="end" font-size="10" fill="#333">C${p.connections}·B${p.batch}</text>`,
		);
	}
	for (const baseline of baselines) {
		const colour = COLOURS[baseline.latencyMs] ?? FALLBACK_COLOUR;
		const px = x(baseline.connections);
		const py = y(baseline.throughput);
		out.push(
			`<path d="M ${px.toFixed(1)} ${(py - 6).toFixed(1)} L ${(px + 6).toFixed(1)} ${(py + 5).toFixed(1)} L ${(px - 6).toFixed(1)} ${(py + 5).toFixed(1)} Z" fill="#ffffff" stroke="${colour}" stroke-width="1.5"><title>${escape(`one number per request, C=${baseline.connections}, L=${baseline.latencyMs} ms: ${fmt(baseline.throughput)}/s`)}</title></path>`,
			`<text x="${(px + 10).toFixed(1)}" y="${(py + 16).toFixed(1)}" font-size="10" fill="#333">1 number/request, C${baseline.connections}</text>`,
		);
	}

	// Legend.
	const lx = MARGIN.left + plotW + 16;
	let ly = MARGIN.top + 8;
	const legend = (markup: string, text: string) => {
		out.push(markup, `<text x="${lx + 26}" y="${ly + 4}">${escape(text)}</text>`);
		ly += 20;
	};
	for (const latency of latencies) {
		const colour = COLOURS[latency] ?? FALLBACK_COLOUR;
		legend(
			`<line x1="${lx}" y1="${ly}" x2="${lx + 20}" y2="${ly}" stroke="${colour}" stroke-width="1.5" stroke-dasharray="6 4"/>`,
			`bound C·B/L, L = ${latency} ms`,
		);
		legend(`<circle cx="${lx + 10}" cy="${ly}" r="4.5" fill="${colour}" stroke="${colour}"/>`, `measured, L = ${latency} ms`);
	}
	if (sizes.length > 1) {
		legend(
			`<circle cx="${lx + 10}" cy="${ly}" r="4.5" fill="#888" stroke="#888"/>`,
			`N = ${sizes[0].toLocaleString('en-US')}`,
		);
		legend(
			`<rect x="${lx + 6}" y="${ly - 4}" width="8" height="8" fill="#888" stroke="#888"/>`,
			`N = ${sizes[sizes.length - 1].toLocaleString('en-US')}`,
		);
	}
	legend(
		`<circle cx="${lx + 10}" cy="${ly}" r="4.5" fill="#fff" stroke="#888" stroke-width="1.5"/>`,
		'hollow: N capped (table)',
	);
	if (ceilings.length > 0) {
		legend(
			`<path d="M ${lx + 5} ${ly - 5} L ${lx + 15} ${ly + 5} M ${lx + 5} ${ly + 5} L ${lx + 15} ${ly - 5}" stroke="#000" stroke-width="1.5"/>`,
			'sandbox ceiling (bare client)',
		);
	}
	if (baselines.length > 0) {
		legend(
			`<path d="M ${lx + 10} ${ly - 6} L ${lx + 16} ${ly + 5} L ${lx + 4} ${ly + 5} Z" fill="#fff" stroke="#888" stroke-width="1.5"/>`,
			'one number per request',
		);
	}
	out.push('</svg>', '');
	return out.join('\n');
}
