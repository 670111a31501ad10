/**
 * The Node-RED node in a throughput cell: the packaged npl-lookup (node-red/dist, as shipped)
 * inside Node-RED's own runtime (node-red-node-test-helper: Node-RED's flows, message routing and
 * close handling, in this process), its account pointed at the same sandbox as the n8n cells.
 * N one-number messages are sent at once (a split node's burst); the time is from the first
 * message in to the last message out. The numbers are the n8n cells' (workload.ts).
 */
import path from 'node:path';

import helper from 'node-red-node-test-helper';

import { ACCOUNT, boundOf, finish, startSandbox, type CellSpec } from './measure';
import type { SandboxProcess } from './sandboxProcess';
import { uniqueNumbers } from './workload';

const DIST = path.join(__dirname, '..', 'node-red', 'dist');

export interface NodeRedCellResult extends CellSpec {
	seconds: number;
	throughput: number;
	bound: number;
	ratio: number;
	requests: number;
	messagesOut: number;
	creditsCharged: number;
	/** From the first message in to the first lookup reaching the sandbox, s. */
	firstRequestSeconds: number | null;
	/** From the last answer's end to the last message out, s. */
	afterLastAnswerSeconds: number | null;
}

let started = false;

/** What the test helper wraps in call-recording spies on every load (its PROXY_METHODS). */
const SPIED_METHODS = ['log', 'status', 'warn', 'error', 'debug', 'trace', 'send'] as const;
type TestHelperInternals = {
	_NodePrototype: Record<string, unknown>;
	_sandbox: { restore: () => void };
};
let nodeMethods: Record<string, unknown> | null = null;

/**
 * The test helper records every send, status and log call of every node, and every log event
 * (sinon spies, each call kept, a process.nextTick per call): a Node-RED in production has none
 * of that, and in a 10,000-message cell it cost about 0.6 s of CPU. Removed after each load, so
 * the cell measures Node-RED's runtime and the node.
 */
function withoutTestSpies(): void {
	const internals = helper as unknown as TestHelperInternals;
	internals._sandbox.restore();
	for (const name of SPIED_METHODS) internals._NodePrototype[name] = nodeMethods?.[name];
}

async function runtime(): Promise<void> {
	if (started) return;
	helper.init(require.resolve('node-red'));
	const prototype = (helper as unknown as TestHelperInternals)._NodePrototype;
	nodeMethods = Object.fromEntries(SPIED_METHODS.map((name) => [name, prototype[name]]));
	await new Promise<void>((resolve) => helper.startServer(() => resolve()));
	started = true;
}

/** Stops Node-RED's test runtime (once, at the end of the benchmark). */
export async function stopNodeRed(): Promise<void> {
	if (!started) return;
	await new Promise<void>((resolve) => helper.stopServer(() => resolve()));
	started = false;
}

export async function nodeRedCell(sandbox: SandboxProcess, cell: CellSpec): Promise<NodeRedCellResult> {
	await runtime();
	const url = await startSandbox(sandbox, cell.latencyMs, cell.streaming);
	const outputs = 4;
	await helper.load(
		['npl-account', 'npl-lookup'].map((name) => require(path.join(DIST, `${name}.js`)) as unknown),
		[
			{ id: 'tab', type: 'tab' },
			{ id: 'account', type: 'npl-account', baseUrl: url },
			{
				id: 'lookup',
				type: 'npl-lookup',
				z: 'tab',
				x: 1,
				y: 1,
				account: 'account',
				numbersPerRequest: cell.batch,
				maxConnections: cell.connections,
				outputs,
				wires: Array.from({ length: outputs }, () => ['out']),
			},
			{ id: 'out', type: 'helper', z: 'tab', x: 1, y: 2 },
		],
		{ account: { user: ACCOUNT.user, password: ACCOUNT.pass } },
	);
	withoutTestSpies();
	const numbers = uniqueNumbers(cell.n).map((item) => item.phone);
	let out = 0;
	let resolveAll!: () => void;
	const all = new Promise<void>((resolve) => (resolveAll = resolve));
	helper.getNode('out').on('input', () => {
		if (++out === cell.n) resolveAll();
	});
	const lookup = helper.getNode('lookup');
	const startedAt = Date.now();
	const t0 = process.hrtime.bigint();
	for (const payload of numbers) lookup.receive({ payload });
	await all;
	const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
	const endedAt = Date.now();
	await helper.unload();
	const stats = await finish(sandbox);
	const bound = boundOf(cell);
	return {
		...cell,
		seconds,
		throughput: cell.n / seconds,
		bound,
		ratio: cell.n / seconds / bound,
		requests: stats.lookupRequests,
		messagesOut: out,
		creditsCharged: stats.creditsCharged,
		firstRequestSeconds: stats.firstRequestAt === null ? null : (stats.firstRequestAt - startedAt) / 1000,
		afterLastAnswerSeconds: stats.lastAnswerAt === null ? null : (endedAt - stats.lastAnswerAt) / 1000,
	};
}
