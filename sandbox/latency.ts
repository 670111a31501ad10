import { unitFrom } from './rng';

/**
 * Simulated SS7 latency. A lookup request waits `baseMs` plus a seeded jitter in [0, jitterMs]
 * (drawn once per request from (seed, request id)), then `perNumberMs` for each number in turn.
 * In streaming mode each object is written when its own wait ends; in buffered mode the whole
 * answer is written after the sum of the waits. Balance queries and errors have no latency.
 */
export interface LatencyOptions {
	baseMs: number;
	perNumberMs: number;
	jitterMs: number;
}

export const DEFAULT_LATENCY: LatencyOptions = Object.freeze({
	baseMs: 0,
	perNumberMs: 0,
	jitterMs: 0,
});

/** The wait before the first number of request `requestId`: base plus its jitter, in ms. */
export function requestDelayMs(latency: LatencyOptions, seed: number, requestId: number): number {
	const jitter =
		latency.jitterMs > 0 ? Math.round(unitFrom(seed, 'jitter', requestId) * latency.jitterMs) : 0;
	return latency.baseMs + jitter;
}

/** Waits `ms`; resolves true, or false as soon as `signal` aborts (at once if it already has). */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
	if (signal?.aborted) return Promise.resolve(false);
	if (ms <= 0) return Promise.resolve(true);
	return new Promise((resolve) => {
		const onAbort = () => {
			clearTimeout(timer);
			resolve(false);
		};
		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve(true);
		}, ms);
		signal?.addEventListener('abort', onAbort, { once: true });
	});
}
