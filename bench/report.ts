import type { BenchResults } from './bench';
import { peakOf } from './measure';
import { HOSTS } from './nearBare';

export interface Target {
	name: string;
	/** What was measured, in words and figures. */
	measured: string;
	/** null: not measured in this mode. */
	pass: boolean | null;
}

const int = (value: number) => Math.round(value).toLocaleString('en-US');
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
const mb1 = (bytes: number | undefined) => (bytes === undefined ? 'not measured' : `${(bytes / 1e6).toFixed(1)} MB`);

export function evaluateTargets(r: BenchResults): Target[] {
	const targets: Target[] = [];
	for (const [latency, minimum, streaming] of [
		[500, 0.9, true],
		[50, 0.8, true],
		[500, 0.9, false],
		[50, 0.8, false],
	] as const) {
		const cells = r.throughput.filter((cell) => cell.latencyMs === latency && cell.streaming === streaming);
		if (cells.length === 0) continue;
		const failing = cells.filter((cell) => cell.error !== null || cell.ratio < minimum);
		const worst = cells.reduce((a, b) => (b.ratio < a.ratio ? b : a));
		targets.push({
			name: `ratio to bound ≥ ${minimum.toFixed(2)} at L = ${latency} ms${streaming ? '' : ', sandbox buffered'}`,
			measured:
				`lowest ${worst.ratio.toFixed(3)} (N=${int(worst.n)} C=${worst.connections} B=${worst.batch}); ` +
				`${cells.length - failing.length} of ${cells.length} cells pass` +
				(failing.length > 0
					? `; failing: ${failing.map((c) => `N=${int(c.n)} C${c.connections} B${c.batch} ${c.ratio.toFixed(2)}`).join(', ')}`
					: ''),
			pass: failing.length === 0,
		});
	}
	for (const b of r.baselines) {
		targets.push({
			name: `speed-up ≥ 100× over one number per request (C = 5, B = 100, L = ${b.latencyMs} ms)`,
			measured: `${b.speedUp.toFixed(1)}× (${int(b.nodeThroughput)}/s against ${b.throughput.toFixed(1)}/s)`,
			pass: b.error === null && b.speedUp >= 100,
		});
	}
	const near = r.nearBare;
	for (const host of HOSTS) {
		const rounds = near.rounds.map((round) => round.ofBare[host]);
		targets.push({
			name: `${host === 'node-red' ? 'Node-RED node' : `node (${host} package)`} ÷ bare client ≥ 0.97 at L = ${near.cell.latencyMs} ms (C = ${near.cell.connections}, B = ${near.cell.batch}), median of ${rounds.length} round${rounds.length === 1 ? '' : 's'}`,
			measured: `${near.medianOfBare[host].toFixed(3)} (rounds: ${rounds.map((v) => v.toFixed(3)).join(', ')})`,
			pass: near.rounds.every((round) => !('error' in round.cells[host]) || round.cells[host].error === null) && near.medianOfBare[host] >= 0.97,
		});
	}
	const { streaming: verified, queueMode } = r.cpu;
	targets.push({
		name: `CPU at L = 0 against the previous release (node run ${PREVIOUS_RELEASE.nodeMsPer1000} ms, own ${PREVIOUS_RELEASE.ownMsPer1000} ms per 1,000 numbers, undici transport)`,
		measured: `node run ${verified.nodeMicrosPerNumber.toFixed(1)} ms, own ${verified.ownMicrosPerNumber.toFixed(1)} ms (${signed(verified.ownMicrosPerNumber - PREVIOUS_RELEASE.ownMsPer1000)}); the queue-mode package (undici, kept alive) on the same run: node ${queueMode.nodeMicrosPerNumber.toFixed(1)}, own ${queueMode.ownMicrosPerNumber.toFixed(1)} ms`,
		pass: null,
	});
	for (const cpu of [r.cpu.streaming, r.cpu.buffered]) {
		targets.push({
			name: `node's own overhead ≤ 30 ms CPU per 1,000 numbers (sandbox ${cpu.streaming ? 'streaming' : 'buffered'})`,
			measured: `${cpu.ownMicrosPerNumber.toFixed(1)} ms (node ${cpu.nodeMicrosPerNumber.toFixed(1)} − n8n floor ${cpu.floorMicrosPerNumber.toFixed(1)})`,
			pass: cpu.ownMicrosPerNumber <= 30,
		});
	}
	targets.push({
		name: `peak RSS ≤ ${PREVIOUS_RELEASE.peakRssMb} MB at 100,000 numbers (the previous release's), the median of ${r.memoryRuns.length} fresh process${r.memoryRuns.length === 1 ? '' : 'es'}`,
		measured:
			r.memory.n === 100_000
				? `${mb(peakOf(r.memory))} (runs: ${r.memoryRuns.map((run) => mb(peakOf(run))).join(', ')})`
				: `not measured at 100,000 in a ${r.mode} run (${mb(peakOf(r.memory))} at ${int(r.memory.n)})`,
		pass:
			r.memory.n === 100_000
				? r.memoryRuns.every((run) => run.error === null) && peakOf(r.memory) <= PREVIOUS_RELEASE.peakRssMb * 1e6
				: null,
	});
	const within = r.memoryWithin;
	targets.push({
		name: `the largest list one execution handles within ${(within.limitBytes / 1024 / 1024).toFixed(0)} MiB RSS (n8n Cloud Starter's whole instance), measured`,
		measured:
			(within.largestN === null ? 'none of the sizes tried' : `${int(within.largestN)} numbers`) +
			` (tried: ${within.runs.map((m) => `${int(m.n)} → ${mb(peakOf(m))}`).join(', ')})`,
		pass: within.largestN !== null,
	});
	const el = r.eventLoop;
	targets.push({
		name: "longest event-loop stall during the node's own work ≤ 50 ms",
		measured: `${el.node.maxDuringNodeMs.toFixed(1)} ms at ${int(el.n)} numbers, L = ${el.latencyMs} ms (n8n's floor node: ${el.floor.maxDuringNodeMs.toFixed(1)} ms)`,
		pass: el.node.maxDuringNodeMs <= 50,
	});
	const cellsOk = r.throughput.every(
		(cell) => cell.creditsCharged === cell.uniqueValid && cell.chargedTwiceForDeliveredResult === 0,
	);
	const c = r.credits;
	const dirtyOk = c.creditsCharged === c.uniqueValid && c.chargedTwiceForDeliveredResult === 0 && c.error === null;
	targets.push({
		name: 'credits charged = unique valid numbers',
		measured: `dirty list of ${int(c.inputs)}: ${int(c.creditsCharged)} credits for ${int(c.uniqueValid)} unique valid; every throughput cell ${cellsOk ? 'equal' : 'NOT equal'}`,
		pass: cellsOk && dirtyOk,
	});
	return targets;
}

/** The release before the verified package (undici transport), BENCHMARKS.md of 2026-11-28. */
const PREVIOUS_RELEASE = { nodeMsPer1000: 93.6, ownMsPer1000: 26.8, peakRssMb: 403 };

const signed = (value: number) => `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(1)} ms`;

function ceilingRatio(r: BenchResults, cell: BenchResults['throughput'][number]): string {
	const ceiling = r.ceiling.find(
		(c) =>
			c.connections === cell.connections &&
			c.batch === cell.batch &&
			c.latencyMs === cell.latencyMs &&
			c.streaming === cell.streaming,
	);
	return ceiling ? (cell.throughput / ceiling.throughput).toFixed(3) : '-';
}

const verdict = (pass: boolean | null) => (pass === null ? 'n/a ' : pass ? 'PASS' : 'FAIL');

function table(header: string[], rows: string[][], rightAlign: boolean[]): string {
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
	const line = (cells: string[]) =>
		cells.map((cell, i) => (rightAlign[i] ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  ').trimEnd();
	return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function formatReport(r: BenchResults, svgPath: string): string {
	const m = r.machine;
	const out: string[] = [];
	out.push(
		`Number Portability Lookup benchmark (${r.mode}), ${r.startedAt}, ${(r.durationSeconds / 60).toFixed(1)} min`,
		`machine: ${m.cpuModel}; nproc ${m.nproc}; ${m.memoryGiB} GiB; Node ${m.node}; n8n-core ${m.n8nCore}; load ${m.loadAtStart.toFixed(1)} → ${m.loadAtEnd.toFixed(1)}`,
		'',
	);
	for (const [key, value] of Object.entries(r.setup)) out.push(`${key}: ${value}`);
	out.push('', 'Throughput against the bound C·B/L');
	const ratioTarget = (latency: number) => (latency >= 500 ? 0.9 : 0.8);
	out.push(
		table(
			['N', 'C', 'B', 'L ms', 'sandbox', 'N measured', 'time s', 'numbers/s', 'bound/s', 'ratio', 'target', '÷ceiling', 'requests', '1st req s', 'credits', 'check'],
			r.throughput.map((c) => [
				int(c.n),
				String(c.connections),
				String(c.batch),
				String(c.latencyMs),
				c.streaming ? 'streaming' : 'buffered',
				`${int(c.measuredN)}${c.capped ? '*' : ''}`,
				c.seconds.toFixed(2),
				c.throughput.toFixed(c.throughput < 100 ? 1 : 0),
				int(c.bound),
				c.ratio.toFixed(3),
				`≥${ratioTarget(c.latencyMs).toFixed(2)} ${verdict(c.error === null && c.ratio >= ratioTarget(c.latencyMs))}`,
				ceilingRatio(r, c),
				int(c.requests),
				c.firstRequestSeconds === null ? '-' : c.firstRequestSeconds.toFixed(2),
				int(c.creditsCharged),
				c.error ? `ERROR ${c.error}` : c.creditsCharged === c.uniqueValid && c.chargedTwiceForDeliveredResult === 0 ? '= unique' : 'MISMATCH',
			]),
			[true, true, true, true, false, true, true, true, true, true, false, true, true, true, true, false],
		),
		'* capped: ' + r.setup.cap,
		'÷ceiling: numbers/s against what a bare client gets from the sandbox at the same C, B, L (below), where measured.',
		'1st req s: from the start of the n8n execution to the first lookup request reaching the sandbox.',
		'',
	);

	for (const b of r.baselines) {
		out.push(
			`One number per request (N = ${int(b.n)}, C = ${b.connections}, L = ${b.latencyMs} ms)`,
			`  sent by: ${b.implementation}`,
			`  ${b.throughput.toFixed(1)} numbers/s in ${b.seconds.toFixed(1)} s (bound C/L = ${int(b.bound)}/s, ratio ${b.ratio.toFixed(3)}); ${int(b.requests)} requests, ${int(b.creditsCharged)} credits, peak ${b.peakSockets} sockets${b.error ? `; ERROR ${b.error}` : ''}`,
			`  the node at C = ${b.comparedWith.connections}, B = ${b.comparedWith.batch}, N = ${int(b.comparedWith.n)}, same L: ${int(b.nodeThroughput)} numbers/s → speed-up ${b.speedUp.toFixed(1)}× (${b.comparedWith.batch}× if both were at their bounds)`,
			'',
		);
	}

	out.push(
		"The two n8n packages' transports, same cells (verified: n8n's helper, a new connection per request; queue-mode: undici, kept alive)",
		table(
			['package', 'N', 'C', 'B', 'L ms', 'time s', 'numbers/s', 'bound/s', 'ratio', '÷ceiling', 'requests', 'peak sockets', 'check'],
			r.transports.map((c) => [
				c.package ?? 'verified',
				int(c.measuredN),
				String(c.connections),
				String(c.batch),
				String(c.latencyMs),
				c.seconds.toFixed(2),
				int(c.throughput),
				int(c.bound),
				c.ratio.toFixed(3),
				ceilingRatio(r, c),
				int(c.requests),
				String(c.peakSockets),
				c.error ? `ERROR ${c.error}` : c.creditsCharged === c.uniqueValid && c.chargedTwiceForDeliveredResult === 0 ? '= unique' : 'MISMATCH',
			]),
			[false, true, true, true, true, true, true, true, true, true, true, true, false],
		),
		'',
	);

	for (const c of [r.cpu.streaming, r.cpu.buffered, r.cpu.queueMode]) {
		out.push(
			`CPU of this process at zero latency, sandbox ${c.streaming ? 'streaming each object (its default)' : 'buffered (one body per answer)'}${c.package ? `, the ${c.package} package` : ''} (N = ${int(c.n)}, median of ${c.repetitions}; the sandbox runs in its child process, not counted)`,
			`  node run             ${c.nodeMicrosPerNumber.toFixed(1)} ms per 1,000 numbers   (runs: ${c.nodeRuns.map((v) => v.toFixed(1)).join(', ')})`,
			`  n8n floor            ${c.floorMicrosPerNumber.toFixed(1)} ms per 1,000 items     (a node that only reads {{ $json.phone }} per item and returns it; runs: ${c.floorRuns.map((v) => v.toFixed(1)).join(', ')})`,
			`  node's own overhead  ${c.ownMicrosPerNumber.toFixed(1)} ms per 1,000 numbers   (node − floor: normalising, planning, HTTP, parsing, output items; below 0 where the node spends less than the floor's n8n expression per item: it reads {{ $json.phone }} itself)`,
			`  sandbox (child)      ${c.sandboxMicrosPerNumber.toFixed(1)} ms per 1,000 numbers`,
			'',
		);
	}

	if (r.ceiling.length > 0) {
		out.push('What the sandbox itself delivers on this machine (bare undici client, no n8n, bodies prebuilt, answers dropped)');
		for (const c of r.ceiling) {
			out.push(
				`  C = ${c.connections}, B = ${c.batch}, L = ${c.latencyMs} ms, sandbox ${c.streaming ? 'streaming' : 'buffered'}, ${int(c.n)} numbers: ${int(c.throughput)} numbers/s = ${c.ratio.toFixed(3)} of the bound ${int(c.bound)}/s`,
			);
		}
		out.push('');
	}

	if (r.nodeRed.length > 0) {
		out.push('The Node-RED node (npl-lookup in Node-RED 5, N one-number messages at once, pooled), against a bare client on the same cell');
		for (const c of r.nodeRed) {
			out.push(
				`  N = ${int(c.n)}, C = ${c.connections}, B = ${c.batch}, L = ${c.latencyMs} ms: ${int(c.throughput)} numbers/s in ${c.requests} requests = ${c.ratio.toFixed(3)} of the bound ${int(c.bound)}/s, ${c.ofCeiling.toFixed(3)} of the bare client's ${int(c.ceiling)}/s`,
			);
		}
		out.push('');
	}

	out.push(
		`Every host against a bare client (N = ${int(r.nearBare.cell.n)}, C = ${r.nearBare.cell.connections}, B = ${r.nearBare.cell.batch}, L = ${r.nearBare.cell.latencyMs} ms; each round: the bare client, then each host; ÷ that round's bare client)`,
		table(
			['round', 'bare /s', ...HOSTS.flatMap((host) => [`${host} /s`, '÷ bare'])],
			r.nearBare.rounds.map((round, index) => [
				String(index + 1),
				int(round.bare),
				...HOSTS.flatMap((host) => [int(round.cells[host].throughput), round.ofBare[host].toFixed(3)]),
			]),
			[true, true, ...HOSTS.flatMap(() => [true, true])],
		),
		`median ÷ bare: ${HOSTS.map((host) => `${host} ${r.nearBare.medianOfBare[host].toFixed(3)}`).join(', ')}`,
		'',
	);

	const mem = r.memory;
	out.push(
		`Memory (fresh process, N = ${int(mem.n)}, C = ${mem.connections}, B = ${mem.batch}, L = ${mem.latencyMs} ms, ${mem.seconds.toFixed(1)} s)`,
		...r.memoryRuns.map(
			(run) =>
				`  RSS before the run ${mb(run.rssBeforeBytes)}; peak sampled every 50 ms ${mb(run.peakSampledBytes)} (${run.samples} samples); kernel high-water mark ${mb(run.maxRssBytes)}${run === mem ? ' (the median)' : ''}${run.error ? `; ERROR ${run.error}` : ''}`,
		),
		`  live heap (another fresh process, a forced collection every second): at its highest ${mb1(r.memoryLive.liveHeap?.peakBytes)} above the start, ${mb1(r.memoryLive.liveHeap?.endBytes)} at the end with the output items held`,
		`Within ${mb(r.memoryWithin.limitBytes)} (fresh process each): ${r.memoryWithin.runs.map((m) => `${int(m.n)} numbers → peak ${mb(peakOf(m))} (before the run ${mb(m.rssBeforeBytes)})`).join('; ')}`,
		'',
	);

	const el = r.eventLoop;
	const stalls = (f: BenchResults['eventLoop']['node']) =>
		`longest ${f.maxDuringNodeMs.toFixed(1)} ms, p99 ${f.p99DuringNodeMs.toFixed(1)} ms while its execute() ran; longest ${f.maxWholeRunMs.toFixed(1)} ms over the whole execution (${f.seconds.toFixed(1)} s, ${int(f.outputItems)} items)`;
	out.push(
		`Event-loop stalls (N = ${int(el.n)}, C = ${el.connections}, B = ${el.batch}, L = ${el.latencyMs} ms; a 2 ms tick timed, and perf_hooks.monitorEventLoopDelay for the p99)`,
		`  node        ${stalls(el.node)}`,
		`  n8n floor   ${stalls(el.floor)}`,
		'  "whole execution" adds n8n\'s own handling of the items after the node returns.',
		'',
	);

	const cr = r.credits;
	out.push(
		`Credits (dirty list: ${int(cr.inputs)} inputs, ~10% repeats in other formats, ~5% not numbers)`,
		`  ${int(cr.creditsCharged)} credits charged for ${int(cr.uniqueValid)} unique valid numbers; ${cr.numbersCharged} numbers charged, ${cr.chargedMoreThanOnce} more than once, ${cr.chargedTwiceForDeliveredResult} again after delivery; ${int(cr.outputItems)} output items${cr.error ? `; ERROR ${cr.error}` : ''}`,
		'',
		'Targets',
	);
	for (const t of r.targets) out.push(`  ${verdict(t.pass)}  ${t.name}: ${t.measured}`);
	out.push('', `plot: ${svgPath}; JSON: bench/out/results-${r.mode}.json`);
	return out.join('\n');
}
