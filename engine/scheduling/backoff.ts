/** How long to wait before retrying a request, and when to give up. */
export interface RetryPolicy {
	/** Attempts per number for failures that may recur (5xx, network, timeouts, broken answers). */
	maxAttempts: number;
	/** Attempts per batch refused with ERR RATE_LIMIT_EXCEEDED before its numbers give up. */
	maxRateLimitAttempts: number;
	baseDelayMs: number;
	maxDelayMs: number;
	/** Retries stop once this much time has passed since the run started. */
	maxRetryTimeMs: number;
	/** Longest Retry-After honoured; a service asking for more is treated as unavailable. */
	maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxAttempts: 4,
	maxRateLimitAttempts: 8,
	baseDelayMs: 200,
	maxDelayMs: 8_000,
	maxRetryTimeMs: 120_000,
	maxRetryAfterMs: 30_000,
};

/**
 * Exponential backoff with "equal jitter" (half the bound plus a random half), so that
 * executions throttled at the same moment do not retry in lockstep. A Retry-After from the
 * service is a floor, within reason.
 */
export function backoffDelayMs(
	attempt: number,
	policy: RetryPolicy,
	random: () => number,
	retryAfterMs?: number,
): number {
	const bound = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
	const jittered = Math.round(bound / 2 + (random() * bound) / 2);
	return Math.max(jittered, Math.min(retryAfterMs ?? 0, policy.maxRetryAfterMs));
}
