import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { eventLoopStalls, type EventLoopResult } from './eventLoop';
import { machineInfo, type MachineInfo } from './machine';
import {
	baseline,
	cpuPerNumber,
	credits,
	largestWithin,
	measuredCount,
	memory,
	peakOf,
	sandboxCeiling,
	SANDBOX_MAX_CONNECTIONS,
	SANDBOX_MAX_PER_REQUEST,
	throughputCell,
	type BaselineResult,
	type CellResult,
	type CellSpec,
	type CeilingResult,
	type CpuResult,
	type CreditsResult,
	type LargestWithinResult,
	type MemoryResult,
} from './measure';
import { nearBareRounds, type NearBareResult } from './nearBare';
import { nodeRedCell, stopNodeRed, type NodeRedCellResult } from './nodeRedCell';
import { formatReport, evaluateTargets, type Target } from './report';
import { SandboxProcess } from './sandboxProcess';
import { throughputSvg } from './svg';

export interface BenchPlan {
	mode: 'full' | 'quick';
	cells: CellSpec[];
	/** Longest a cell may run at the bound, s, by its N. */
	capSeconds: (n: number) => number;
	/** One number per request, each compared with the node's cell at the same C and L, B = 100. */
	baselines: Array<{ n: number; connections: number; latencyMs: number; compareWith: CellSpec }>;
	cpu: { n: number; repetitions: number };
	/** Cells where a bare client measures what the sandbox itself can deliver. */
	ceilingCells: CellSpec[];
	credits: { inputs: number };
	/** Fresh processes, `repetitions` of them: the peak moves by about 40 MB with when V8 collects. */
	memory: { n: number; connections: number; batch: number; latencyMs: number; repetitions: number };
	/** List sizes tried, smallest first, for the largest one execution handles within 320 MiB. */
	memoryWithin: number[];
	eventLoop: { n: number; connections: number; batch: number; latencyMs: number };
	/** The same cells through each n8n package (n8n's helper: a connection per request; undici: kept alive). */
	transports: CellSpec[];
	/** Cells where the Node-RED node runs, each against a bare client on the same cell. */
	nodeRed: CellSpec[];
	/** Every host against a bare client, in rounds (bench/nearBare.ts). */
	nearBare: { cell: CellSpec; rounds: number };
}

export interface BenchResults {
	mode: BenchPlan['mode'];
	command: string;
	startedAt: string;
	durationSeconds: number;
	machine: MachineInfo & { loadAtEnd: number };
	setup: Record<string, string>;
	throughput: CellResult[];
	baselines: Array<BaselineResult & { nodeThroughput: number; speedUp: number; comparedWith: CellSpec }>;
	cpu: { streaming: CpuResult; buffered: CpuResult; queueMode: CpuResult };
	ceiling: CeilingResult[];
	credits: CreditsResult;
	/** The run with the median peak, and every run. */
	memory: MemoryResult;
	memoryRuns: MemoryResult[];
	/** A run of its own that collects every second: the live heap, steady from run to run. */
	memoryLive: MemoryResult;
	memoryWithin: LargestWithinResult;
	eventLoop: EventLoopResult;
	transports: CellResult[];
	/** The Node-RED node, and what a bare client gets from the sandbox on the same cell. */
	nodeRed: Array<NodeRedCellResult & { ceiling: number; ofCeiling: number }>;
	nearBare: NearBareResult;
	targets: Target[];
}

function grid(
	sizes: number[],
	connections: number[],
	batches: number[],
	latencies: number[],
	streaming = true,
): CellSpec[] {
	const cells: CellSpec[] = [];
	for (const n of sizes)
		for (const c of connections)
			for (const b of batches)
				for (const l of latencies) cells.push({ n, connections: c, batch: b, latencyMs: l, streaming });
	return cells;
}

/** 320 MiB: n8n Cloud Starter's whole instance. */
export const CLOUD_STARTER_BYTES = 320 * 1024 * 1024;

/**
 * The cells where the two n8n packages' transports are compared, each run through both (at
 * L = 200 ms they are compared in the near-bare rounds).
 */
const transportCells = (n: number): CellSpec[] =>
	grid([n], [5], [100], [50]).flatMap((cell) => [
		{ ...cell, package: 'verified' as const },
		{ ...cell, package: 'queue-mode' as const },
	]);

/** A ceiling run stops after this long at the bound: it measures a rate, not a total. */
const CEILING_CAP_SECONDS = 10;

const PLANS: Record<BenchPlan['mode'], BenchPlan> = {
	full: {
		mode: 'full',
		cells: [
			...grid([10_000, 100_000], [1, 5], [10, 100], [50, 500]),
			// Where the streaming sandbox's own CPU caps every client (see the ceilings), the same
			// cells with the answer written at once, as the v3.31 API does.
			...grid([10_000, 100_000], [5], [100], [50, 500], false),
		],
		capSeconds: (n) => (n > 10_000 ? 50 : 25),
		baselines: [
			{ n: 10_000, connections: 5, latencyMs: 50, compareWith: grid([10_000], [5], [100], [50])[0] },
			// 10,000 at 10 a second would take 17 minutes: 300 numbers (30 s) measure the same rate.
			{ n: 300, connections: 5, latencyMs: 500, compareWith: grid([10_000], [5], [100], [500])[0] },
		],
		// Run to run, the node's CPU on this shared 2-core machine moves by ±5 µs a number: five runs, not three.
		cpu: { n: 10_000, repetitions: 5 },
		ceilingCells: [
			...grid([10_000], [1, 5], [10, 100], [50]),
			...grid([10_000], [5], [100], [200, 500]),
			...grid([10_000], [5], [100], [50, 500], false),
		],
		credits: { inputs: 10_000 },
		memory: { n: 100_000, connections: 5, batch: 100, latencyMs: 50, repetitions: 3 },
		memoryWithin: [25_000, 50_000, 75_000],
		eventLoop: { n: 100_000, connections: 5, batch: 100, latencyMs: 50 },
		transports: transportCells(10_000),
		nodeRed: grid([10_000], [5], [100], [500]),
		nearBare: { cell: grid([10_000], [5], [100], [200])[0], rounds: 5 },
	},
	quick: {
		mode: 'quick',
		cells: grid([10_000], [5], [10, 100], [50, 500]),
		capSeconds: () => 4,
		baselines: [
			{ n: 500, connections: 5, latencyMs: 50, compareWith: grid([10_000], [5], [100], [50])[0] },
		],
		cpu: { n: 10_000, repetitions: 3 },
		ceilingCells: grid([10_000], [5], [100], [50, 200]),
		credits: { inputs: 2_000 },
		memory: { n: 10_000, connections: 5, batch: 100, latencyMs: 50, repetitions: 1 },
		memoryWithin: [10_000],
		eventLoop: { n: 20_000, connections: 5, batch: 100, latencyMs: 50 },
		transports: transportCells(10_000),
		nodeRed: [],
		nearBare: { cell: grid([10_000], [5], [100], [200])[0], rounds: 1 },
	},
};

const sameCell = (a: CellSpec, b: CellSpec) =>
	a.n === b.n &&
	a.connections === b.connections &&
	a.batch === b.batch &&
	a.latencyMs === b.latencyMs &&
	a.streaming === b.streaming &&
	(a.package ?? 'verified') === (b.package ?? 'verified');

function progress(json: boolean, line: string): void {
	// With --json, stdout holds only the JSON object; progress goes to stderr either way.
	if (json || !process.stdout.isTTY) console.error(line);
	else console.log(line);
}

export async function main(argv: string[]): Promise<void> {
	const json = argv.includes('--json');
	const plan = PLANS[argv.includes('--quick') ? 'quick' : 'full'];
	const started = Date.now();
	const machine = machineInfo();
	const say = (line: string) => progress(json, line);
	say(`npm run bench${plan.mode === 'quick' ? ' -- --quick' : ''}: ${plan.cells.length} throughput cells, baseline, CPU, credits, memory`);

	const sandbox = await SandboxProcess.launch();
	const cpuAt = async (streaming: boolean, pkg?: 'queue-mode') => {
		say(`CPU at zero latency, sandbox ${streaming ? 'streaming' : 'buffered'}${pkg ? `, ${pkg} package` : ''}…`);
		const result = await cpuPerNumber(sandbox, plan.cpu.n, plan.cpu.repetitions, streaming, pkg);
		say(
			`  node ${result.nodeMicrosPerNumber.toFixed(1)} µs/number, floor ${result.floorMicrosPerNumber.toFixed(1)}, own ${result.ownMicrosPerNumber.toFixed(1)}`,
		);
		return result;
	};
	try {
		// Warm-up (not reported): JIT, n8n's expression engine, libphonenumber metadata.
		await cpuPerNumber(sandbox, 2_000, 1, true);
		await cpuPerNumber(sandbox, 2_000, 1, false);
		await cpuPerNumber(sandbox, 2_000, 1, true, 'queue-mode');

		const cpu = {
			streaming: await cpuAt(true),
			buffered: await cpuAt(false),
			queueMode: await cpuAt(true, 'queue-mode'),
		};

		say('Credits on a dirty list…');
		const creditCheck = await credits(sandbox, plan.credits.inputs);

		const throughput: CellResult[] = [];
		for (const cell of plan.cells) {
			const result = await throughputCell(sandbox, cell, plan.capSeconds(cell.n));
			throughput.push(result);
			say(
				`  N=${cell.n} C=${cell.connections} B=${cell.batch} L=${cell.latencyMs}ms${cell.streaming ? '' : ' buffered'}: ` +
					`${result.measuredN} numbers in ${result.seconds.toFixed(2)} s, ` +
					`${result.throughput.toFixed(0)}/s, ratio ${result.ratio.toFixed(3)}` +
					(result.error ? ` ERROR ${result.error}` : ''),
			);
		}

		say('The two n8n packages, same cells…');
		const transports: CellResult[] = [];
		for (const cell of plan.transports) {
			const result = await throughputCell(sandbox, cell, plan.capSeconds(cell.n));
			transports.push(result);
			say(
				`  ${cell.package} L=${cell.latencyMs}ms: ${result.throughput.toFixed(0)}/s, ratio ${result.ratio.toFixed(3)}, peak ${result.peakSockets} sockets` +
					(result.error ? ` ERROR ${result.error}` : ''),
			);
		}

		const ceiling: CeilingResult[] = [];
		for (const cell of plan.ceilingCells) {
			const result = await sandboxCeiling(sandbox, { ...cell, n: measuredCount(cell, CEILING_CAP_SECONDS) });
			ceiling.push(result);
			say(
				`  sandbox ceiling C=${cell.connections} B=${cell.batch} L=${cell.latencyMs}ms${cell.streaming ? '' : ' buffered'}: ` +
					`${result.throughput.toFixed(0)}/s, ratio ${result.ratio.toFixed(3)}`,
			);
		}

		say('The Node-RED node…');
		const nodeRed: BenchResults['nodeRed'] = [];
		// Warm-up (not reported): Node-RED's runtime, the bundle's JIT.
		await nodeRedCell(sandbox, { n: 2_000, connections: 5, batch: 100, latencyMs: 20, streaming: true });
		for (const cell of plan.nodeRed) {
			const result = await nodeRedCell(sandbox, cell);
			const bare = await sandboxCeiling(sandbox, cell);
			nodeRed.push({ ...result, ceiling: bare.throughput, ofCeiling: result.throughput / bare.throughput });
			say(
				`  N=${cell.n} C=${cell.connections} B=${cell.batch} L=${cell.latencyMs}ms: ${result.throughput.toFixed(0)}/s, ` +
					`ratio ${result.ratio.toFixed(3)}, bare client ${bare.throughput.toFixed(0)}/s, ${(result.throughput / bare.throughput).toFixed(3)} of it`,
			);
		}
		const { cell: nearCell, rounds } = plan.nearBare;
		say(`Every host against a bare client, L = ${nearCell.latencyMs} ms, ${rounds} round${rounds === 1 ? '' : 's'}…`);
		const nearBare = await nearBareRounds(sandbox, nearCell, rounds, plan.capSeconds(nearCell.n), say);
		await stopNodeRed();

		say('One number per request…');
		const baselines: BenchResults['baselines'] = [];
		for (const spec of plan.baselines) {
			const base = await baseline(sandbox, spec.n, spec.connections, spec.latencyMs);
			const compared = throughput.find((cell) => sameCell(cell, spec.compareWith));
			if (!compared) throw new Error('the plan has no cell to compare the baseline with');
			const speedUp = compared.throughput / base.throughput;
			baselines.push({ ...base, nodeThroughput: compared.throughput, speedUp, comparedWith: spec.compareWith });
			say(`  L=${spec.latencyMs}ms: ${base.throughput.toFixed(1)}/s; speed-up ${speedUp.toFixed(1)}×`);
		}

		say(`Memory at ${plan.memory.n} numbers (${plan.memory.repetitions} fresh process${plan.memory.repetitions === 1 ? '' : 'es'})…`);
		const memoryRuns: MemoryResult[] = [];
		const { n, connections, batch, latencyMs } = plan.memory;
		for (let run = 0; run < plan.memory.repetitions; run++) {
			memoryRuns.push(await memory(sandbox, n, connections, batch, latencyMs));
			say(`  peak ${(peakOf(memoryRuns[run]) / 1e6).toFixed(0)} MB`);
		}
		const byPeak = [...memoryRuns].sort((a, b) => peakOf(a) - peakOf(b));
		const mem = byPeak[Math.floor((byPeak.length - 1) / 2)];
		const memoryLive = await memory(sandbox, n, connections, batch, latencyMs, undefined, true);
		say(`  live heap at its highest ${((memoryLive.liveHeap?.peakBytes ?? NaN) / 1e6).toFixed(1)} MB above the start`);

		say(`The largest list within 320 MiB (fresh processes: ${plan.memoryWithin.join(', ')})…`);
		const memoryWithin = await largestWithin(
			sandbox,
			CLOUD_STARTER_BYTES,
			plan.memoryWithin,
			plan.memory.connections,
			plan.memory.batch,
			plan.memory.latencyMs,
		);

		const { eventLoop: el } = plan;
		say(`Event-loop stalls at ${el.n} numbers, L = ${el.latencyMs} ms…`);
		const eventLoop = await eventLoopStalls(sandbox, el.n, el.connections, el.batch, el.latencyMs);
		say(
			`  longest stall during the node ${eventLoop.node.maxDuringNodeMs.toFixed(1)} ms (floor node ${eventLoop.floor.maxDuringNodeMs.toFixed(1)} ms)`,
		);

		const results: BenchResults = {
			mode: plan.mode,
			command: `npm run bench${plan.mode === 'quick' ? ' -- --quick' : ''}${json ? ' -- --json' : ''}`,
			startedAt: new Date(started).toISOString(),
			durationSeconds: (Date.now() - started) / 1000,
			machine: { ...machine, loadAtEnd: os.loadavg()[0] },
			setup: {
				engine: `n8n-core ${machine.n8nCore} WorkflowExecute in this process (test/harness/n8nEngine.ts): Test Items → Number Portability Lookup, the verified package's bundle (dist/) unless a row says queue-mode`,
				node: 'Look Up Number, Phone Number = {{ $json.phone }}, options Max Connections = C, Numbers Per Request = B',
				input: 'distinct valid UK mobiles, half "+44 7712 000123", half "447712000123"',
				sandbox: `sandbox/ in a child process; latency base L, per number 0, jitter 0; streaming (its default) unless a row says buffered; limits ${SANDBOX_MAX_CONNECTIONS} connections, ${SANDBOX_MAX_PER_REQUEST} numbers a request; credit 1e9`,
				cap: `a cell runs at most ${plan.mode === 'full' ? '25 s (N = 10,000) or 50 s (N = 100,000)' : `${plan.capSeconds(10_000)} s`} at the bound: N measured is the largest whole number of rounds (C·B numbers) the bound clears in that time`,
				throughput: 'N measured ÷ wall time of the whole n8n execution (parameters, normalising, requests, output items)',
				nodeRed: 'node-red/dist npl-lookup in Node-RED 5 (the runtime of node-red-node-test-helper in this process, without its call-recording spies): N one-number messages sent at once, timed to the last message out; against a bare undici client on the same cell',
			},
			throughput,
			baselines,
			cpu,
			ceiling,
			credits: creditCheck,
			memory: mem,
			memoryRuns,
			memoryLive,
			memoryWithin,
			eventLoop,
			transports,
			nodeRed,
			nearBare,
			targets: [],
		};
		results.targets = evaluateTargets(results);

		const outDir = path.join(__dirname, 'out');
		mkdirSync(outDir, { recursive: true });
		writeFileSync(path.join(outDir, `results-${plan.mode}.json`), JSON.stringify(results, null, 2) + '\n');
		// The plot shows the sandbox's default (streaming) cells; the buffered rows are in the table.
		const svg = throughputSvg(
			throughput.filter((cell) => cell.streaming),
			baselines.map((b) => ({ connections: b.connections, latencyMs: b.latencyMs, n: b.n, throughput: b.throughput })),
			ceiling.filter((cell) => cell.streaming),
			`${machine.cpuModel}, ${machine.nproc} CPUs, Node ${machine.node}; ${results.startedAt.slice(0, 10)}; ${plan.mode} run`,
		);
		// The full run's plot is the one BENCHMARKS.md shows; a quick run's stays in bench/out/.
		const svgPath = plan.mode === 'full' ? path.join(__dirname, 'throughput.svg') : path.join(outDir, 'throughput-quick.svg');
		writeFileSync(svgPath, svg);

		if (json) console.log(JSON.stringify(results, null, 2));
		else console.log(formatReport(results, path.relative(process.cwd(), svgPath)));
	} finally {
		await sandbox.exit();
	}
}
