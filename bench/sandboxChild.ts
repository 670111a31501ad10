/**
 * The sandbox in a process of its own, driven over IPC by bench/sandboxProcess.ts. The
 * benchmark runs the node in its own process; the service it talks to is elsewhere, as in
 * production, so the CPU and memory the benchmark reads are the node's (and n8n's) alone.
 */
import { startSandbox, type Sandbox, type SandboxOptionsInput } from '../sandbox';
import type { ChildReply, ChildRequest, SandboxStats } from './sandboxProcess';

let sandbox: Sandbox | null = null;

function reply(message: ChildReply): void {
	process.send?.(message);
}

function stats(current: Sandbox): SandboxStats {
	const account = current.options.accounts[0].user;
	let firstStart = Infinity;
	let lastFinish = 0;
	const outcomes: Record<string, number> = {};
	let lookupRequests = 0;
	let numbersSent = 0;
	for (const record of current.requests) {
		outcomes[record.outcome] = (outcomes[record.outcome] ?? 0) + 1;
		if (record.kind !== 'lookup') continue;
		lookupRequests++;
		numbersSent += record.numbers.length;
		firstStart = Math.min(firstStart, record.startedAt);
		lastFinish = Math.max(lastFinish, record.finishedAt ?? record.startedAt);
	}
	const byNumber = current.ledger.chargesByNumber(account);
	return {
		requests: current.requests.length,
		lookupRequests,
		numbersSent,
		outcomes,
		creditsCharged: current.ledger.totalCharged(account),
		numbersCharged: byNumber.size,
		chargedMoreThanOnce: [...byNumber.values()].filter((entries) => entries.length > 1).length,
		chargedTwiceForDeliveredResult: current.ledger.numbersChargedTwiceForDeliveredResult(account).length,
		firstRequestAt: Number.isFinite(firstStart) ? firstStart : null,
		lastAnswerAt: lastFinish > 0 ? lastFinish : null,
		peakSockets: current.connections.peakOpenSockets(account),
		cpuMicros: process.cpuUsage(),
		rssBytes: process.memoryUsage().rss,
	};
}

async function handle(message: ChildRequest): Promise<void> {
	switch (message.type) {
		case 'start': {
			if (sandbox) await sandbox.close();
			sandbox = await startSandbox(message.options as SandboxOptionsInput);
			reply({ type: 'started', url: sandbox.url });
			return;
		}
		case 'stats':
			if (!sandbox) throw new Error('no sandbox running');
			reply({ type: 'stats', stats: stats(sandbox) });
			return;
		case 'close':
			await sandbox?.close();
			sandbox = null;
			reply({ type: 'closed' });
			return;
		case 'exit':
			await sandbox?.close();
			process.exit(0);
	}
}

process.on('message', (message: ChildRequest) => {
	handle(message).catch((error: unknown) => {
		reply({ type: 'error', message: error instanceof Error ? error.message : String(error) });
	});
});
// The bench process is gone (finished, killed, or its output pipe closed): so is its sandbox.
process.on('disconnect', () => process.exit(0));
reply({ type: 'ready' });
