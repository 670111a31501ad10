/**
 * One "n8n worker" for the Redis tests: runs the real node through n8n's engine (runNode) in its
 * own process, with the connection budget settings it inherits (NPL_CONNECTION_BUDGET,
 * NPL_REDIS_URL, ...), and prints one line `RESULT {json}` with what came out.
 *
 * CHILD_BASE_URL  the sandbox's URL        CHILD_FIRST / CHILD_COUNT  which GB numbers (447788…)
 * CHILD_MAX_CONNECTIONS (5)                CHILD_NUMBERS_PER_REQUEST (50)
 */
import { runNode } from '../harness/n8nEngine';
import { loadPackage } from '../harness/packages';

/** The queue-mode package: the one with the Redis budget. */
const { accountConnections, closeAllAccountConnections } = loadPackage('queue-mode').transport!;

/** With CHILD_WAIT_FOR_GO=1: prints READY once loaded and starts on a line "GO" (a common start). */
async function startSignal(): Promise<void> {
	if (process.env.CHILD_WAIT_FOR_GO !== '1') return;
	process.stdout.write('READY\n');
	await new Promise<void>((resolve) => {
		process.stdin.on('data', (chunk: Buffer) => {
			if (chunk.toString().includes('GO')) resolve();
		});
	});
	process.stdin.pause();
}

async function main(): Promise<void> {
	await startSignal();
	const baseUrl = process.env.CHILD_BASE_URL!;
	const first = Number(process.env.CHILD_FIRST ?? 0);
	const count = Number(process.env.CHILD_COUNT ?? 100);
	const items = Array.from({ length: count }, (_, i) => ({
		phone: `447788${String(first + i).padStart(6, '0')}`,
	}));
	const started = Date.now();
	const run = await runNode({
		items,
		parameters: {
			operation: 'lookup',
			phoneNumber: '={{ $json.phone }}',
			options: {
				maxConnections: Number(process.env.CHILD_MAX_CONNECTIONS ?? 5),
				numbersPerRequest: Number(process.env.CHILD_NUMBERS_PER_REQUEST ?? 50),
			},
		},
		credential: { user: 'demo', password: 'demo', baseUrl },
		package: 'queue-mode',
	});
	const budget = accountConnections(new URL(baseUrl).href, 'demo');
	const outputs = run.outputs.map((items) => items.length);
	const reasons: Record<string, number> = {};
	for (const items of run.outputs) {
		for (const { json } of items) {
			if (json.lookedUp === false)
				reasons[String(json.reason)] = (reasons[String(json.reason)] ?? 0) + 1;
		}
	}
	const result = {
		pid: process.pid,
		ms: Date.now() - started,
		status: run.status,
		error: run.error?.message ?? null,
		items: outputs.reduce((a, b) => a + b, 0),
		notLookedUp: reasons,
		notices: budget.noticesSince(0),
		sharedAcrossProcesses: budget.sharedAcrossProcesses,
		leases: (budget as { leaseCounts?: unknown }).leaseCounts ?? null,
	};
	await closeAllAccountConnections();
	process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

main().catch((error: Error) => {
	process.stdout.write(`RESULT ${JSON.stringify({ crashed: String(error?.stack ?? error) })}\n`);
	process.exitCode = 1;
});
