/**
 * A fresh process for the memory measurement: loads n8n-core and the node, then looks up the
 * numbers it is sent while a worker thread samples RSS every 50 ms. Started by bench/measure.ts.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { INodeParameters } from 'n8n-workflow';

import type { PackageName } from '../test/harness/packages';

export interface MemoryChildRequest {
	url: string;
	user: string;
	password: string;
	n: number;
	parameters: INodeParameters;
	package?: PackageName;
	/** Also measure the live heap (a forced collection every second: needs --expose-gc). */
	liveHeap?: boolean;
}

export interface MemoryChildReport {
	/** RSS with n8n-core and the node loaded, the items built, before the run, bytes. */
	rssBeforeBytes: number;
	/** Highest RSS sampled during the run, bytes. */
	peakSampledBytes: number;
	samples: number;
	/** The kernel's high-water mark for the whole process (getrusage maxrss), bytes. */
	maxRssBytes: number;
	seconds: number;
	outputItems: number;
	error: string | null;
	/**
	 * With liveHeap: the live heap above what it was before the run, at its highest during the
	 * run and at the end (the output items still held), bytes. Unlike the RSS peak, it does not
	 * depend on when V8 chooses to collect.
	 */
	liveHeap: { peakBytes: number; endBytes: number } | null;
}

process.env.N8N_USER_FOLDER ??= mkdtempSync(path.join(tmpdir(), 'npl-bench-n8n-'));
process.env.N8N_LOG_LEVEL ??= 'silent';

async function measure(request: MemoryChildRequest): Promise<MemoryChildReport> {
	const { runNode } = await import('../test/harness/n8nEngine');
	const { closeLoadedPackages } = await import('../test/harness/packages');
	const { startRssSampler } = await import('./rssSampler');
	const { uniqueNumbers } = await import('./workload');

	const items = uniqueNumbers(request.n);
	const live = request.liveHeap ? liveHeapSampler() : null;
	const rssBeforeBytes = process.memoryUsage.rss();
	const sampler = await startRssSampler(50);
	const t0 = process.hrtime.bigint();
	const run = await runNode({
		items,
		parameters: request.parameters,
		credential: { user: request.user, password: request.password, baseUrl: request.url },
		package: request.package,
	});
	const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
	const liveHeap = live?.stop() ?? null;
	const peak = await sampler.stop();
	await closeLoadedPackages();
	return {
		rssBeforeBytes,
		peakSampledBytes: peak.peakBytes,
		samples: peak.samples,
		maxRssBytes: process.resourceUsage().maxRSS * 1024,
		seconds,
		outputItems: run.outputs.reduce((sum, out) => sum + out.length, 0),
		error: run.error ? run.error.message : null,
		liveHeap,
	};
}

/** The live heap: a full collection, then heapUsed, every second (and at start and end). */
function liveHeapSampler(): { stop: () => { peakBytes: number; endBytes: number } } {
	const collect = (globalThis as { gc?: () => void }).gc;
	if (!collect) throw new Error('the live-heap run needs node --expose-gc');
	const liveNow = () => {
		collect();
		return process.memoryUsage().heapUsed;
	};
	const before = liveNow();
	let highest = before;
	const timer = setInterval(() => (highest = Math.max(highest, liveNow())), 1_000);
	return {
		stop: () => {
			clearInterval(timer);
			const end = liveNow();
			return { peakBytes: Math.max(highest, end) - before, endBytes: end - before };
		},
	};
}

// The bench process is gone: nobody waits for the figure.
process.on('disconnect', () => process.exit(0));

process.once('message', (request: MemoryChildRequest) => {
	measure(request)
		.then((report) => process.send?.(report, () => process.exit(0)))
		.catch((error: unknown) => {
			console.error(error);
			process.exit(1);
		});
});
