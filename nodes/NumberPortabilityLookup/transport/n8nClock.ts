import * as workflow from 'n8n-workflow';

import type { Clock } from '../../../engine/ports';

type AbortableSleep = (ms: number, signal: AbortSignal) => Promise<void>;

/**
 * n8n 1.x exports sleepWithAbort (its sleep ignores a signal); n8n 2.x's sleep takes the signal
 * and sleepWithAbort is gone. Both reject when the signal aborts.
 */
const sleepWithAbort = (workflow as { sleepWithAbort?: AbortableSleep }).sleepWithAbort;

/**
 * The engine's clock on n8n-workflow's sleep: the verified package owns no timer. A back-off wait
 * that the stop cuts short resolves (the engine then sees the stop), it does not fail.
 */
export const n8nClock: Clock = {
	now: () => Date.now(),
	sleep: async (ms, signal) => {
		const wait = signal && sleepWithAbort ? sleepWithAbort(ms, signal) : workflow.sleep(ms, signal);
		await wait.catch(() => undefined);
	},
	// A 0 ms timer: n8n's editor, webhooks and this run's answers get the event loop meanwhile.
	yieldTurn: async () => await workflow.sleep(0),
	// Such a turn lasts a millisecond at least: slices of 4 ms keep reading items at 80 % or more.
	minimumSliceMs: 4,
};
