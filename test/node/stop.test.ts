/**
 * Stop means stop (issue 10): the node inside n8n's own engine, against the sandbox, stopped the
 * way n8n stops an execution (the editor's Stop button, the workflow Timeout and a queue-mode stop
 * all cancel the run WorkflowExecute returned, which aborts the execution's cancel signal).
 * The sandbox's ledger and request log say what happened after the stop.
 *
 * The sandbox runs in a process of its own, as the service does: in this one, the node's work
 * after a stop would hold up the sandbox noticing the aborted sockets, and it would answer them.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { SandboxProcess, type ChildSandboxOptions } from '../../bench/sandboxProcess';
import { NumberPortabilityLookup } from '../../nodes/NumberPortabilityLookup/NumberPortabilityLookup.node';
import type { LedgerEntry, RequestRecord } from '../../sandbox';
import { gbNumbers, LOOKUP, LOOKUP_MANY, phoneItems } from '../faults/support';
import { closeLoadedPackages } from '../harness/packages';
import { NODE_NAME, startNodeRun, type NodeRun, type NodeRunOptions } from '../harness/n8nEngine';
import { jsonOf } from './sandboxAccount';

/** A sandbox in a child process, read through its admin view. */
interface ChildSandbox {
	url: string;
	/** Lookup requests, in arrival order. */
	requests(): Promise<RequestRecord[]>;
	ledger(): Promise<LedgerEntry[]>;
}

let sandboxProcess: SandboxProcess;
beforeAll(async () => {
	sandboxProcess = await SandboxProcess.launch();
});
afterEach(async () => {
	await closeLoadedPackages();
	await sandboxProcess.close();
});
afterAll(async () => await sandboxProcess.exit());

async function startSandbox(options: ChildSandboxOptions): Promise<ChildSandbox> {
	const url = await sandboxProcess.start({ ...options, admin: true });
	const admin = async <T>(path: string) =>
		(await (await fetch(`${new URL(url).origin}/__admin/${path}`)).json()) as T;
	return {
		url,
		requests: async () => (await admin<RequestRecord[]>('requests')).filter((r) => r.kind === 'lookup'),
		ledger: async () => (await admin<{ entries: LedgerEntry[] }>('ledger')).entries,
	};
}

const credentialFor = (sandbox: ChildSandbox) => ({ user: 'demo', password: 'demo', baseUrl: sandbox.url });
const BIG_ACCOUNT = [{ user: 'demo', pass: 'demo', credit: 1_000_000 }];

/** A request that starts this long after the stop counts as started after it. */
const START_MARGIN_MS = 50;
/** The node's promise settles within this of the stop. */
const SETTLE_WITHIN_MS = 1000;



async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await condition())) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

interface StopOutcome {
	run: NodeRun;
	settledAfterMs: number;
	startedAfterStop: number;
	/** Numbers in requests the sandbox was still answering at the stop. */
	inFlightAtStop: number;
	chargedAfterStop: number;
	requests: number;
}

/**
 * The node itself, timed: when its execute() settles. (n8n's engine settles later, once it has
 * processed what the node returned; that is n8n's time, not the node's.)
 */
class TimedNode extends NumberPortabilityLookup {
	settledAt = 0;
	async execute(this: IExecuteFunctions & TimedNode): Promise<INodeExecutionData[][]> {
		try {
			return await NumberPortabilityLookup.prototype.execute.call(this);
		} finally {
			timedNode.settledAt = Date.now();
		}
	}
}
const timedNode = new TimedNode();

/** Starts the run, stops it once `stopWhen` holds, and reads what the sandbox saw after. */
async function runAndStop(
	sandbox: ChildSandbox,
	options: Omit<NodeRunOptions, 'credential'>,
	stopWhen: (requests: RequestRecord[]) => boolean,
): Promise<StopOutcome> {
	timedNode.settledAt = 0;
	const started = startNodeRun({ ...options, credential: credentialFor(sandbox), nodeType: timedNode });
	await until(async () => stopWhen(await sandbox.requests()), 'the moment to stop');
	const stopAt = Date.now();
	started.cancel();
	const run = await started.result;
	// Anything the node still did unseen would reach the sandbox now.
	await new Promise((resolve) => setTimeout(resolve, 300));
	const requests = await sandbox.requests();
	const inFlight = requests.filter((r) => r.startedAt <= stopAt && (r.finishedAt === null || r.finishedAt > stopAt));
	return {
		run,
		settledAfterMs: timedNode.settledAt - stopAt,
		startedAfterStop: requests.filter((r) => r.startedAt > stopAt + START_MARGIN_MS).length,
		inFlightAtStop: inFlight.reduce((sum, r) => sum + r.numbers.length, 0),
		chargedAfterStop: (await sandbox.ledger()).filter((e) => e.at > stopAt).length,
		requests: requests.length,
	};
}

function expectStoppedCleanly(outcome: StopOutcome): void {
	expect(outcome.run.status).toBe('canceled');
	expect(outcome.startedAfterStop).toBe(0);
	expect(outcome.chargedAfterStop).toBeLessThanOrEqual(outcome.inFlightAtStop);
	expect(outcome.settledAfterMs).toBeGreaterThanOrEqual(0);
	expect(outcome.settledAfterMs).toBeLessThan(SETTLE_WITHIN_MS);
}

describe('a stopped execution', () => {
	it('stops mid-run: no request after the stop, requests in flight aborted, settled within 1 s', async () => {
		const sandbox = await startSandbox({ accounts: BIG_ACCOUNT, latency: { baseMs: 500 } });
		// 20,000 numbers in 20 items: 200 requests of 100, 5 at a time, 500 ms each (about 20 s).
		const numbers = gbNumbers(20_000);
		const items: IDataObject[] = Array.from({ length: 20 }, (_, i) => ({
			phones: numbers.slice(i * 1000, (i + 1) * 1000),
		}));
		// The second round is in flight: some answers landed, five are up to 500 ms from theirs.
		const outcome = await runAndStop(
			sandbox,
			{ items, parameters: { ...LOOKUP_MANY, options: { maxConnections: 5 } } },
			(requests) => requests.length >= 10,
		);
		expectStoppedCleanly(outcome);
		expect(outcome.inFlightAtStop).toBeGreaterThan(0);
		expect(outcome.requests).toBeLessThan(20);
	});

	it('ends a rate-limit back-off at once (a 30 s Retry-After pending)', async () => {
		const sandbox = await startSandbox({ retryAfterSeconds: 30, faults: { rateLimit: { rate: 1 } } });
		const outcome = await runAndStop(
			sandbox,
			{ items: phoneItems(gbNumbers(300)), parameters: LOOKUP },
			// Every request was refused: the run is waiting out its back-off.
			(requests) => requests.length >= 3 && requests.every((r) => r.finishedAt !== null),
		);
		expectStoppedCleanly(outcome);
		expect((await sandbox.requests()).every((r) => r.outcome === 'fault:rate_limit')).toBe(true);
		expect(await sandbox.ledger()).toHaveLength(0);
	});

	it('stops reading items: 100,000 items, stopped while they are being read', async () => {
		const sandbox = await startSandbox({ accounts: BIG_ACCOUNT, latency: { baseMs: 50 } });
		const items = phoneItems(gbNumbers(100_000));
		// Reading 100,000 parameters takes n8n several seconds; the first requests show it has begun.
		const outcome = await runAndStop(sandbox, { items, parameters: LOOKUP }, (requests) => requests.length >= 2);
		expectStoppedCleanly(outcome);
		// Had it read on, it would have sent far more than this: 1,000 requests in all.
		expect(outcome.requests).toBeLessThan(500);
	});

	it('returns no items, and throws nothing (Retry On Fail must not run it again)', async () => {
		const sandbox = await startSandbox({ latency: { baseMs: 300 } });
		const outcome = await runAndStop(
			sandbox,
			{
				items: phoneItems(gbNumbers(1_000)),
				parameters: { ...LOOKUP, options: { maxConnections: 1 } },
			},
			(requests) => requests.length >= 3,
		);
		expectStoppedCleanly(outcome);
		// n8n ended the execution at the stop and keeps nothing the node returns after it.
		expect(outcome.run.outputs.flat()).toHaveLength(0);
		// The only error is n8n's own cancellation; the node's task holds none.
		expect(outcome.run.error?.name).toBe('ManualExecutionCancelledError');
		expect(outcome.run.run.data.resultData.runData[NODE_NAME]?.[0]?.error).toBeUndefined();
	});
});

describe('an execution that is never stopped', () => {
	it('behaves as before: every number looked up, nothing "stopped", status success', async () => {
		const sandbox = await startSandbox({ latency: { baseMs: 20 } });
		const run = await startNodeRun({
			items: phoneItems(gbNumbers(2_000)),
			parameters: LOOKUP,
			credential: credentialFor(sandbox),
		}).result;
		expect(run.status).toBe('success');
		const [valid, invalid, undetermined, notLookedUp] = run.outputs;
		expect(valid.length + invalid.length + undetermined.length).toBe(2_000);
		expect(notLookedUp).toHaveLength(0);
		expect(jsonOf(run.outputs.flat()).some((json) => json.reason === 'stopped')).toBe(false);
		expect(await sandbox.ledger()).toHaveLength(2_000);
	});
});
