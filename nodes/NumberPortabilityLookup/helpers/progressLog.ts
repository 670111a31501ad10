import type { Logger } from 'n8n-workflow';

import type { LookupRunProgress } from '../engine/scheduling/lookupRun';

export interface RunProgress extends LookupRunProgress {
	itemsRead: number;
	items: number;
}

/** About every 10 s; NPL_PROGRESS_LOG_INTERVAL_MS changes it (operators, tests). */
const DEFAULT_INTERVAL_MS = 10_000;

function intervalMs(): number {
	const configured = Number(process.env.NPL_PROGRESS_LOG_INTERVAL_MS);
	return Number.isFinite(configured) && configured > 0 ? configured : DEFAULT_INTERVAL_MS;
}

/**
 * A long run writes a line to n8n's log at a steady pace (numbers done / numbers to look up so
 * far, items read, requests, credits), so an operator can follow it on a worker: n8n has no live
 * progress channel to the editor. Returns the function that stops it. Runs shorter than one
 * interval write nothing.
 */
export function startProgressLog(
	logger: Logger | undefined,
	nodeName: string,
	progress: () => RunProgress,
): () => void {
	if (!logger) return () => undefined;
	const startedAt = Date.now();
	const timer = setInterval(() => {
		const { done, total, itemsRead, items, requests, creditsSpent } = progress();
		const elapsed = Math.round((Date.now() - startedAt) / 1000);
		const n = (value: number) => value.toLocaleString('en-US');
		logger.info(
			`Number Portability Lookup "${nodeName}": ${n(done)} / ${n(total)} numbers done, ` +
				`${n(itemsRead)} / ${n(items)} items read, ${n(requests)} requests, ` +
				`${n(creditsSpent)} credits, ${elapsed} s`,
			{ node: nodeName, done, total, itemsRead, items, requests, creditsSpent },
		);
	}, intervalMs());
	// A progress line is no reason to keep a process alive.
	timer.unref();
	return () => clearInterval(timer);
}
