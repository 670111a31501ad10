import type { Clock } from '../engine/ports';

/**
 * The engine's clock on Node's own timers, for the hosts that may use them (the queue-mode n8n
 * package, Node-RED). The verified n8n package has its own, on n8n-workflow's sleep.
 */
export const nodeClock: Clock = {
	now: () => Date.now(),
	sleep: async (ms, signal) =>
		await new Promise<void>((resolve) => {
			if (signal?.aborted) return resolve();
			const done = () => {
				clearTimeout(timer);
				signal?.removeEventListener('abort', done);
				resolve();
			};
			const timer = setTimeout(done, ms);
			signal?.addEventListener('abort', done, { once: true });
		}),
	yieldTurn: async () => await new Promise<void>((resolve) => setImmediate(resolve)),
	minimumSliceMs: 0,
};
