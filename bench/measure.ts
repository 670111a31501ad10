/**
 * The measurements: each runs the node (or a comparison node) inside n8n's own engine through
 * test/harness/n8nEngine.ts, against a sandbox running in a child process.
 */
import { fork } from 'node:child_process';
import path from 'node:path';

import { Pool } from 'undici';

import type { IDataObject, INodeParameters, INodeType } from 'n8n-workflow';

import { runNode, type NodeRun } from '../test/harness/n8nEngine';
import { closeLoadedPackages, type PackageName } from '../test/harness/packages';
import { ParameterFloorNode } from './floorNode';
import type { MemoryChildReport, MemoryChildRequest } from './memoryChild';
import { PerItemRequestNode } from './perItemNode';
import type { SandboxProcess, SandboxStats } from './sandboxProcess';
import { dirtyNumbers, uniqueNumbers } from './workload';

/** One account with credit for every run (the sandbox refuses lookups it cannot pay for). */
export const ACCOUNT = { user: 'bench', pass: 'bench', credit: 1_000_000_000 };

/** The sandbox's own limits: the service's (5 connections, 100 numbers), at least C and B. */
export const SANDBOX_MAX_CONNECTIONS = 5;
export const SANDBOX_MAX_PER_REQUEST = 100;

export interface CellSpec {
	/** Numbers the cell stands for. */
	n: number;
	connections: number;
	batch: number;
	latencyMs: number;
	/** The sandbox writes each object as it is ready (its default), or the whole answer at once. */
	streaming: boolean;
	/** Which n8n package runs (its transport): the verified one unless a row says queue-mode. */
	package?: PackageName;
}

export interface CellResult extends CellSpec {
	/** Numbers actually looked up (less than n when the cell was capped). */
	measuredN: number;
	capped: boolean;
	seconds: number;
	throughput: number;
	/** C·B/L in numbers per second. */
	bound: number;
	ratio: number;
	requests: number;
	/** From the start of the n8n execution to the first lookup reaching the sandbox, s. */
	firstRequestSeconds: number | null;
	/** From the last answer's end to the end of the n8n execution, s. */
	afterLastAnswerSeconds: number | null;
	creditsCharged: number;
	uniqueValid: number;
	chargedTwiceForDeliveredResult: number;
	peakSockets: number;
	outcomes: Record<string, number>;
	outputItems: number;
	error: string | null;
}

const lookupParameters = (connections: number, batch: number): INodeParameters => ({
	operation: 'lookup',
	phoneNumber: '={{ $json.phone }}',
	options: { maxConnections: connections, numbersPerRequest: batch },
});

export const boundOf = (cell: Pick<CellSpec, 'connections' | 'batch' | 'latencyMs'>): number =>
	(cell.connections * cell.batch) / (cell.latencyMs / 1000);

/**
 * How many numbers a cell measures: all n, unless the bound needs more than `capSeconds` for
 * them; then the largest whole number of rounds (C·B numbers each) it clears in `capSeconds`.
 */
export function measuredCount(cell: CellSpec, capSeconds: number): number {
	const round = cell.connections * cell.batch;
	const fits = Math.floor((boundOf(cell) * capSeconds) / round) * round;
	return Math.min(cell.n, Math.max(round, fits));
}

interface TimedRun {
	run: NodeRun;
	startedAt: number;
	endedAt: number;
	seconds: number;
	cpuMicros: number;
}

async function timedRun(
	items: IDataObject[],
	parameters: INodeParameters,
	url: string,
	nodeType?: INodeType,
	pkg?: PackageName,
): Promise<TimedRun> {
	const credential = { user: ACCOUNT.user, password: ACCOUNT.pass, baseUrl: url };
	const startedAt = Date.now();
	const cpu0 = process.cpuUsage();
	const t0 = process.hrtime.bigint();
	const run = await runNode({ items, parameters, credential, nodeType, package: pkg });
	const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
	const cpu = process.cpuUsage(cpu0);
	return { run, startedAt, endedAt: Date.now(), seconds, cpuMicros: cpu.user + cpu.system };
}

const countItems = (run: NodeRun) => run.outputs.reduce((sum, items) => sum + items.length, 0);

function errorOf(run: NodeRun): string | null {
	return run.error ? `${run.error.message}${run.error.description ? `: ${run.error.description}` : ''}` : null;
}

/** A fresh sandbox with the bench's account and limits, latency L; returns its URL. */
export async function startSandbox(sandbox: SandboxProcess, latencyMs: number, streaming = true): Promise<string> {
	return await sandbox.start({
		accounts: [{ ...ACCOUNT }],
		latency: { baseMs: latencyMs, perNumberMs: 0, jitterMs: 0 },
		maxConnections: SANDBOX_MAX_CONNECTIONS,
		maxPerRequest: SANDBOX_MAX_PER_REQUEST,
		streaming,
	});
}

/** The sandbox's figures, then the node's pooled sockets and the sandbox closed. */
export async function finish(sandbox: SandboxProcess): Promise<SandboxStats> {
	const stats = await sandbox.stats();
	await closeLoadedPackages();
	await sandbox.close();
	return stats;
}

/** One throughput cell: the node at C connections, B numbers a request, latency L. */
export async function throughputCell(
	sandbox: SandboxProcess,
	cell: CellSpec,
	capSeconds: number,
): Promise<CellResult> {
	const measuredN = measuredCount(cell, capSeconds);
	const url = await startSandbox(sandbox, cell.latencyMs, cell.streaming);
	const items = uniqueNumbers(measuredN);
	const timed = await timedRun(items, lookupParameters(cell.connections, cell.batch), url, undefined, cell.package);
	const stats = await finish(sandbox);
	const bound = boundOf(cell);
	const throughput = measuredN / timed.seconds;
	return {
		...cell,
		measuredN,
		capped: measuredN < cell.n,
		seconds: timed.seconds,
		throughput,
		bound,
		ratio: throughput / bound,
		requests: stats.lookupRequests,
		firstRequestSeconds: stats.firstRequestAt === null ? null : (stats.firstRequestAt - timed.startedAt) / 1000,
		afterLastAnswerSeconds: stats.lastAnswerAt === null ? null : (timed.endedAt - stats.lastAnswerAt) / 1000,
		creditsCharged: stats.creditsCharged,
		uniqueValid: measuredN,
		chargedTwiceForDeliveredResult: stats.chargedTwiceForDeliveredResult,
		peakSockets: stats.peakSockets,
		outcomes: stats.outcomes,
		outputItems: countItems(timed.run),
		error: errorOf(timed.run),
	};
}

export interface BaselineResult {
	n: number;
	connections: number;
	latencyMs: number;
	/** What sent the requests. */
	implementation: string;
	seconds: number;
	throughput: number;
	/** C/L: one number per request. */
	bound: number;
	ratio: number;
	requests: number;
	creditsCharged: number;
	peakSockets: number;
	outcomes: Record<string, number>;
	outputItems: number;
	error: string | null;
}

/** The same numbers sent one per request, C at a time, by a per-item HTTP node. */
export async function baseline(
	sandbox: SandboxProcess,
	n: number,
	connections: number,
	latencyMs: number,
): Promise<BaselineResult> {
	const url = await startSandbox(sandbox, latencyMs);
	const items = uniqueNumbers(n);
	const timed = await timedRun(
		items,
		{ phoneNumber: '={{ $json.phone }}', batchSize: connections },
		url,
		new PerItemRequestNode(),
	);
	const stats = await finish(sandbox);
	const bound = connections / (latencyMs / 1000);
	const throughput = n / timed.seconds;
	return {
		n,
		connections,
		latencyMs,
		implementation:
			"bench/perItemNode.ts: one this.helpers.httpRequest POST per item, batches of C awaited in turn (HTTP Request node's batching; n8n-nodes-base itself is not installed)",
		seconds: timed.seconds,
		throughput,
		bound,
		ratio: throughput / bound,
		requests: stats.lookupRequests,
		creditsCharged: stats.creditsCharged,
		peakSockets: stats.peakSockets,
		outcomes: stats.outcomes,
		outputItems: countItems(timed.run),
		error: errorOf(timed.run),
	};
}

export interface CpuResult {
	/** Whether the sandbox streamed each object as it was ready (its default) or sent one body. */
	streaming: boolean;
	/** Which n8n package ran (default: the verified one). */
	package?: PackageName;
	n: number;
	repetitions: number;
	/** Median CPU of this process for the node's run, µs per number. */
	nodeMicrosPerNumber: number;
	/** Median CPU of the same items through a node that only reads the parameter, µs per item. */
	floorMicrosPerNumber: number;
	/** node − floor: the node's own work (normalising, planning, HTTP, parsing, items). */
	ownMicrosPerNumber: number;
	/** The sandbox child's CPU during the node's runs (not counted above), µs per number. */
	sandboxMicrosPerNumber: number;
	nodeRuns: number[];
	floorRuns: number[];
}

/** The middle value (the mean of the two middle ones for an even count). */
export const median = (values: number[]) => {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/**
 * CPU of this process (n8n, the node, undici; the sandbox is in its child) around runs at zero
 * latency, against n8n's floor: a node that only reads the same expression parameter per item.
 */
export async function cpuPerNumber(
	sandbox: SandboxProcess,
	n: number,
	repetitions: number,
	streaming: boolean,
	pkg?: PackageName,
): Promise<CpuResult> {
	const nodeRuns: number[] = [];
	const floorRuns: number[] = [];
	const sandboxRuns: number[] = [];
	for (let rep = 0; rep < repetitions; rep++) {
		const url = await startSandbox(sandbox, 0, streaming);
		const before = (await sandbox.stats()).cpuMicros;
		const node = await timedRun(uniqueNumbers(n), lookupParameters(5, 100), url, undefined, pkg);
		const after = await finish(sandbox);
		if (node.run.error) throw new Error(`CPU run failed: ${errorOf(node.run)}`);
		nodeRuns.push(node.cpuMicros / n);
		sandboxRuns.push((after.cpuMicros.user + after.cpuMicros.system - before.user - before.system) / n);

		const floorUrl = await startSandbox(sandbox, 0, streaming);
		const floor = await timedRun(
			uniqueNumbers(n),
			{ phoneNumber: '={{ $json.phone }}' },
			floorUrl,
			new ParameterFloorNode(),
		);
		await finish(sandbox);
		floorRuns.push(floor.cpuMicros / n);
	}
	const nodeMicros = median(nodeRuns);
	const floorMicros = median(floorRuns);
	return {
		streaming,
		package: pkg,
		n,
		repetitions,
		nodeMicrosPerNumber: nodeMicros,
		floorMicrosPerNumber: floorMicros,
		ownMicrosPerNumber: nodeMicros - floorMicros,
		sandboxMicrosPerNumber: median(sandboxRuns),
		nodeRuns,
		floorRuns,
	};
}

export interface CreditsResult {
	inputs: number;
	uniqueValid: number;
	creditsCharged: number;
	numbersCharged: number;
	chargedMoreThanOnce: number;
	chargedTwiceForDeliveredResult: number;
	outputItems: number;
	error: string | null;
}

/** A dirty list (duplicates in other formats, non-numbers): credits must equal unique valid numbers. */
export async function credits(sandbox: SandboxProcess, inputs: number): Promise<CreditsResult> {
	const { items, uniqueValid } = dirtyNumbers(inputs);
	const url = await startSandbox(sandbox, 0);
	const timed = await timedRun(items, lookupParameters(5, 100), url);
	const stats = await finish(sandbox);
	return {
		inputs,
		uniqueValid,
		creditsCharged: stats.creditsCharged,
		numbersCharged: stats.numbersCharged,
		chargedMoreThanOnce: stats.chargedMoreThanOnce,
		chargedTwiceForDeliveredResult: stats.chargedTwiceForDeliveredResult,
		outputItems: countItems(timed.run),
		error: errorOf(timed.run),
	};
}

/** A memory run's peak: the higher of the sampled RSS and the kernel's high-water mark. */
export const peakOf = (run: Pick<MemoryChildReport, 'peakSampledBytes' | 'maxRssBytes'>): number =>
	Math.max(run.peakSampledBytes, run.maxRssBytes);

export interface MemoryResult extends MemoryChildReport {
	package?: PackageName;
	n: number;
	connections: number;
	batch: number;
	latencyMs: number;
	creditsCharged: number;
}

/**
 * Peak RSS of a fresh process (n8n-core loaded, nothing else run) while the node looks up `n`
 * numbers: sampled every 50 ms from a worker thread, and the kernel's high-water mark. With
 * `liveHeap`, the process also collects every second and reports its live heap (which slows it
 * and lowers its RSS peak: that run's RSS is not one to report).
 */
export async function memory(
	sandbox: SandboxProcess,
	n: number,
	connections: number,
	batch: number,
	latencyMs: number,
	pkg?: PackageName,
	liveHeap = false,
): Promise<MemoryResult> {
	const url = await startSandbox(sandbox, latencyMs);
	const child = fork(path.join(__dirname, 'memoryChild.ts'), [], {
		execArgv: ['--import', 'tsx', ...(liveHeap ? ['--expose-gc'] : [])],
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		env: process.env,
	});
	const report = await new Promise<MemoryChildReport>((resolve, reject) => {
		child.once('message', (message: MemoryChildReport) => resolve(message));
		child.once('exit', (code) => reject(new Error(`the memory run exited (code ${code})`)));
		child.send({
			url,
			user: ACCOUNT.user,
			password: ACCOUNT.pass,
			n,
			parameters: lookupParameters(connections, batch),
			package: pkg,
			liveHeap,
		} satisfies MemoryChildRequest);
	});
	await new Promise<void>((resolve) => {
		if (child.exitCode !== null) resolve();
		else child.once('exit', () => resolve());
	});
	const stats = await finish(sandbox);
	return { ...report, package: pkg, n, connections, batch, latencyMs, creditsCharged: stats.creditsCharged };
}

export interface LargestWithinResult {
	limitBytes: number;
	/** The largest list size tried whose whole process stayed within the limit; null if none did. */
	largestN: number | null;
	runs: MemoryResult[];
}

/**
 * The largest list one execution handles while the whole process (n8n-core, the node, the items)
 * stays within `limitBytes` of RSS (n8n Cloud Starter's instance: 320 MiB): fresh processes for
 * each size, smallest first, stopping at the first that goes over.
 */
export async function largestWithin(
	sandbox: SandboxProcess,
	limitBytes: number,
	sizes: readonly number[],
	connections: number,
	batch: number,
	latencyMs: number,
): Promise<LargestWithinResult> {
	const runs: MemoryResult[] = [];
	let largestN: number | null = null;
	for (const n of sizes) {
		const run = await memory(sandbox, n, connections, batch, latencyMs);
		runs.push(run);
		if (run.error !== null || peakOf(run) > limitBytes) break;
		largestN = n;
	}
	return { limitBytes, largestN, runs };
}

export interface CeilingResult {
	n: number;
	connections: number;
	batch: number;
	latencyMs: number;
	streaming: boolean;
	seconds: number;
	throughput: number;
	bound: number;
	ratio: number;
}

/**
 * What the sandbox itself can deliver on this machine: a bare undici client (no n8n, no node;
 * request bodies built beforehand, answers read and dropped) at C connections, B a request.
 * Where the node falls short of the bound, this says how much of that is the test rig's.
 */
export async function sandboxCeiling(sandbox: SandboxProcess, cell: CellSpec): Promise<CeilingResult> {
	const url = new URL(await startSandbox(sandbox, cell.latencyMs, cell.streaming));
	const bodies: string[] = [];
	for (let start = 0; start < cell.n; start += cell.batch) {
		const numbers: string[] = [];
		for (let i = start; i < Math.min(cell.n, start + cell.batch); i++) numbers.push(`447712${String(i).padStart(6, '0')}`);
		bodies.push(
			new URLSearchParams({ user: ACCOUNT.user, pass: ACCOUNT.pass, msisdn: numbers.join(','), format: 'json' }).toString(),
		);
	}
	const pool = new Pool(url.origin, { connections: cell.connections });
	let next = 0;
	const worker = async () => {
		while (next < bodies.length) {
			const body = bodies[next++];
			const response = await pool.request({
				path: url.pathname,
				method: 'POST',
				body,
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
			});
			for await (const chunk of response.body) void chunk;
		}
	};
	const t0 = process.hrtime.bigint();
	await Promise.all(Array.from({ length: cell.connections }, worker));
	const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
	await pool.close();
	const stats = await finish(sandbox);
	if (stats.creditsCharged !== cell.n) throw new Error(`sandbox ceiling: ${stats.creditsCharged} credits for ${cell.n}`);
	const bound = boundOf(cell);
	return { ...cell, seconds, throughput: cell.n / seconds, bound, ratio: cell.n / seconds / bound };
}
