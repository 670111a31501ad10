import { abortableWait, abortError } from './abortableWait';

/** Max Connections' default, the service's documented limit per account. */
export const DEFAULT_MAX_CONNECTIONS = 5;

/** Clean answers in a row after which a limit lowered by a rate limit rises by one. */
const RECOVERY_STREAK = 10;

/**
 * How many requests one account may have in flight in this process, shared by every run that
 * uses the account (same base URL and user): the service counts connections per account, and
 * refuses the one over its limit.
 *
 * The limit in force is the lowest Max Connections among the runs using the account, lowered by
 * one on each rate limit and raised back after a streak of clean answers; a host that shares the
 * account with other processes may hold it lower for a while (setShare). Pure bookkeeping: no
 * sockets (a transport that keeps connections open builds on this), no timers.
 */
export class RequestPermits {
	private readonly runs = new Map<symbol, number>();
	private lowered: number | null = null;
	private cleanStreak = 0;
	private inUse = 0;
	private readonly waiters = new Set<() => void>();
	/** Requests in flight allowed below the limit (this process's share of the account), or null. */
	private shareCap: number | null = null;

	/** Registers a run with its Max Connections; call the returned function when it ends. */
	join(maxConnections: number): () => void {
		const id = Symbol('run');
		this.runs.set(id, Math.max(1, Math.floor(maxConnections)));
		return () => {
			this.runs.delete(id);
			if (this.runs.size === 0) this.lowered = null;
			this.wake();
		};
	}

	get limit(): number {
		let configured = Infinity;
		for (const value of this.runs.values()) configured = Math.min(configured, value);
		// Outside a run (the credential test, Get Balance) one connection is plenty.
		if (configured === Infinity) configured = 1;
		return Math.min(configured, this.lowered ?? Infinity);
	}

	/**
	 * The account's limit as this process knows it: what a cross-process budget asks for with.
	 * Within a run, the limit in force; outside one (Get Balance) the default Max Connections, for
	 * its one request must not wait until the whole account is idle in every process.
	 */
	get accountLimit(): number {
		return this.runs.size > 0
			? this.limit
			: Math.min(DEFAULT_MAX_CONNECTIONS, this.lowered ?? Infinity);
	}

	/** Requests allowed in flight now: the limit, or this process's share of it. */
	get permitLimit(): number {
		return Math.min(this.limit, this.shareCap ?? Infinity);
	}

	/** Requests holding a permit. */
	get openPermits(): number {
		return this.inUse;
	}

	/** Requests holding a permit or waiting for one. */
	get demand(): number {
		return this.inUse + this.waiters.size;
	}

	/** Holds requests in flight at `cap` (this process's share of the account); null ends it. */
	setShare(cap: number | null): void {
		this.shareCap = cap === null ? null : Math.max(1, Math.floor(cap));
		this.wake();
	}

	/**
	 * Waits until one more request may go, and counts it. Rejects with an AbortError as soon as
	 * `signal` aborts (at once if it already has). Each take() is paired with one give().
	 */
	async take(signal?: AbortSignal): Promise<void> {
		if (signal?.aborted) throw abortError(signal);
		while (this.inUse >= this.permitLimit) {
			await abortableWait((wake) => {
				this.waiters.add(wake);
				return () => this.waiters.delete(wake);
			}, signal);
		}
		this.inUse++;
	}

	give(): void {
		this.inUse--;
		this.wake();
	}

	reportRateLimited(): void {
		this.cleanStreak = 0;
		this.lowered = Math.max(1, this.limit - 1);
	}

	reportCleanAnswer(): void {
		if (this.lowered === null || ++this.cleanStreak < RECOVERY_STREAK) return;
		this.cleanStreak = 0;
		this.lowered++;
		this.wake();
	}

	/** Wakes as many waiters as there are free permits; each re-checks before it takes one. */
	protected wake(): void {
		for (let free = this.permitLimit - this.inUse; free > 0 && this.waiters.size > 0; free--) {
			const [first] = this.waiters;
			this.waiters.delete(first);
			first();
		}
	}
}
