/**
 * How long the node holds n8n's event loop (issue 10): one thread serves n8n's editor, its
 * webhooks and every other execution. The longest stall (StallMonitor) is read while the node's
 * execute() runs (its own work: reading parameters in slices, normalising, parsing answers,
 * routing, building output items) and over the whole execution (n8n's own handling of the items
 * after the node returns included), for the node and for n8n's floor node on the same items.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';

// The explicit .ts: tsx would otherwise resolve `.node` to the codex .node.json.
import { NumberPortabilityLookup } from '../nodes/NumberPortabilityLookup/NumberPortabilityLookup.node.ts';
import { runNode } from '../test/harness/n8nEngine';
import { ParameterFloorNode } from './floorNode';
import { StallMonitor, type Stalls } from './stallMonitor';
import { ACCOUNT, finish, startSandbox } from './measure';
import type { SandboxProcess } from './sandboxProcess';
import { uniqueNumbers } from './workload';

export interface StallFigures {
	/** Longest stall while the node's execute() ran, ms. */
	maxDuringNodeMs: number;
	/** 99th percentile of the event-loop delay while it ran, ms. */
	p99DuringNodeMs: number;
	/** Longest stall over the whole n8n execution, ms. */
	maxWholeRunMs: number;
	seconds: number;
	outputItems: number;
}

export interface EventLoopResult {
	n: number;
	connections: number;
	batch: number;
	latencyMs: number;
	node: StallFigures;
	floor: StallFigures;
}

/** The node type, its stalls monitored only while its execute() runs. */
function monitored(inner: INodeType, onStalls: (stalls: Stalls) => void): INodeType {
	const execute = inner.execute!;
	return {
		description: inner.description,
		methods: inner.methods,
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const monitor = new StallMonitor();
			monitor.start();
			try {
				return (await execute.call(this)) as INodeExecutionData[][];
			} finally {
				onStalls(monitor.stop());
			}
		},
	} as INodeType;
}

async function measure(url: string, nodeType: INodeType, n: number, connections: number, batch: number): Promise<StallFigures> {
	let duringNode: Stalls = { maxMs: NaN, p99Ms: NaN };
	const items = uniqueNumbers(n);
	const wholeRun = new StallMonitor();
	wholeRun.start();
	const t0 = process.hrtime.bigint();
	const run = await runNode({
		items,
		parameters: {
			operation: 'lookup',
			phoneNumber: '={{ $json.phone }}',
			options: { maxConnections: connections, numbersPerRequest: batch },
		},
		credential: { user: ACCOUNT.user, password: ACCOUNT.pass, baseUrl: url },
		nodeType: monitored(nodeType, (stalls) => (duringNode = stalls)),
	});
	const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
	const whole = wholeRun.stop();
	if (run.error) throw new Error(`event-loop run failed: ${run.error.message}`);
	return {
		maxDuringNodeMs: duringNode.maxMs,
		p99DuringNodeMs: duringNode.p99Ms,
		maxWholeRunMs: whole.maxMs,
		seconds,
		outputItems: run.outputs.reduce((sum, out) => sum + out.length, 0),
	};
}

export async function eventLoopStalls(
	sandbox: SandboxProcess,
	n: number,
	connections: number,
	batch: number,
	latencyMs: number,
): Promise<EventLoopResult> {
	const node = await measure(await startSandbox(sandbox, latencyMs), new NumberPortabilityLookup(), n, connections, batch);
	await finish(sandbox);
	const floor = await measure(await startSandbox(sandbox, latencyMs), new ParameterFloorNode(), n, connections, batch);
	await finish(sandbox);
	return { n, connections, batch, latencyMs, node, floor };
}
