import type { Dispatcher } from 'undici';

import {
	abortableWait,
	abortError,
	type ConnectionBudget,
	type ConnectionPermit,
} from './connectionBudget';

/** Max Connections' default, the service's documented limit per account. */
const DEFAULT_MAX_CONNECTIONS = 5;

/**
 * One open-connection budget per account per process (regular mode; and, under the Redis
 * budget, this process's share in queue mode).
 *
 * The service counts open TCP connections per account, idle keep-alive ones included, and
 * refuses the one over its limit. So every execution in this process that uses the same
 * account (same base URL and user) shares one dispatcher whose connection cap is the limit in
 * force, and a permit is taken for each request: requests in flight never exceed the limit,
 * and neither do sockets, idle or not.
 *
 * The limit in force is the lowest Max Connections among the runs using the account, lowered
 * by one on each rate limit and raised back after a streak of clean answers.
 */
export class AccountConnections implements ConnectionBudget {
	private readonly runs = new Map<symbol, number>();
	private lowered: number | null = null;
	private cleanStreak = 0;
	private inUse = 0;
	private readonly waiters = new Set<() => void>();
	private current: { dispatcher: Dispatcher; cap: number } | null = null;
	/** A dispatcher whose cap is no longer the limit, closing; settles once its sockets are shut. */
	private retiring: Promise<void> | null = null;
	/** Requests in flight allowed below the limit for a while (shareFor), else null. */
	private share: { cap: number; ends: NodeJS.Timeout } | null = null;

	/** `configurationProblem`: why this is the in-process budget although Redis was asked for. */
	constructor(
		private readonly createDispatcher: (connections: number) => Dispatcher,
		private readonly configurationProblem?: string,
	) {}

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
	 * The account's limit as this process knows it: what the Redis budget asks for a new socket
	 * with. Within a run, the limit in force; outside one (the credential test, Get Balance) the
	 * default Max Connections, for their one connection must not wait until the whole account is
	 * idle in every process.
	 */
	get accountLimit(): number {
		return this.runs.size > 0
			? this.limit
			: Math.min(DEFAULT_MAX_CONNECTIONS, this.lowered ?? Infinity);
	}

	/**
	 * Keeps at most `cap` requests in flight for the next `forMs` (each call starts the time
	 * again): this process's share of the account while other processes wait for it (the Redis
	 * budget). The pool's cap stays the limit, so the share can change without a new pool.
	 */
	shareFor(cap: number, forMs: number): void {
		if (this.share) clearTimeout(this.share.ends);
		const ends = setTimeout(() => {
			this.share = null;
			this.wake();
		}, forMs);
		ends.unref();
		this.share = { cap: Math.max(1, Math.floor(cap)), ends };
		this.wake();
	}

	/** Requests allowed in flight now: the limit, or this process's share of it. */
	private get permitLimit(): number {
		return Math.min(this.limit, this.share?.cap ?? Infinity);
	}

	get openPermits(): number {
		return this.inUse;
	}

	/** Requests holding a permit or waiting for one. */
	get demand(): number {
		return this.inUse + this.waiters.size;
	}

	readonly sharedAcrossProcesses = false;

	noticeCursor(): number {
		return 0;
	}

	noticesSince(): string[] {
		return this.configurationProblem ? [this.configurationProblem] : [];
	}

	/**
	 * Waits for a permit; the dispatcher returned is capped at the limit in force. `admit`, when
	 * given, runs with the permit held and before the dispatcher is chosen (the Redis budget waits
	 * there for its lease: every socket then holds a lease, so a pool may open beside a closing one).
	 */
	async acquire(
		signal?: AbortSignal,
		admit?: (signal?: AbortSignal) => Promise<void>,
	): Promise<ConnectionPermit> {
		if (signal?.aborted) throw abortError(signal);
		for (;;) {
			if (this.inUse >= this.permitLimit) {
				await abortableWait((wake) => {
					this.waiters.add(wake);
					return () => this.waiters.delete(wake);
				}, signal);
				continue;
			}
			if (this.current && this.current.cap !== this.limit) this.retireCurrent();
			// No new socket opens beside a closing pool's (idle ones count with the service).
			if (this.retiring) {
				const retiring = this.retiring;
				await abortableWait((wake) => {
					let waiting = true;
					void retiring.then(() => waiting && wake());
					return () => (waiting = false);
				}, signal);
				continue;
			}
			break;
		}
		this.inUse++;
		if (admit) {
			try {
				await admit(signal);
			} catch (error) {
				this.inUse--;
				this.wake();
				throw error;
			}
		}
		const dispatcher = this.dispatcherFor(this.limit);
		let released = false;
		return {
			dispatcher,
			release: () => {
				if (released) return;
				released = true;
				this.inUse--;
				this.wake();
			},
		};
	}

	reportRateLimited(): void {
		this.cleanStreak = 0;
		this.lowered = Math.max(1, this.limit - 1);
	}

	reportCleanAnswer(): void {
		if (this.lowered === null || ++this.cleanStreak < 10) return;
		this.cleanStreak = 0;
		this.lowered++;
		this.wake();
	}

	/**
	 * Closes the pool's idle sockets now (those in use close once their answer is read), so that
	 * a process with nothing to send gives its connections back at once, not after keep-alive.
	 */
	closeIdleSockets(): void {
		if (this.current) this.retireCurrent();
	}

	async close(): Promise<void> {
		if (this.share) clearTimeout(this.share.ends);
		this.share = null;
		const current = this.current;
		this.current = null;
		if (current) await current.dispatcher.close();
		await this.retiring;
	}

	/**
	 * A dispatcher capped at `cap`, created once no other is open. When the cap changes, the old
	 * one is retired first (acquire): it closes once its requests finish, and only then does a new
	 * one open sockets, so its idle keep-alive sockets and the new ones never add up past the limit.
	 */
	private dispatcherFor(cap: number): Dispatcher {
		if (this.current?.cap !== cap) this.current = { dispatcher: this.createDispatcher(cap), cap };
		return this.current.dispatcher;
	}

	private retireCurrent(): void {
		const previous = this.current;
		if (!previous) return;
		this.current = null;
		const retiring = previous.dispatcher
			.close()
			.catch(() => undefined)
			.then(() => {
				if (this.retiring === retiring) this.retiring = null;
			});
		this.retiring = retiring;
	}

	/** Wakes as many waiters as there are free permits; each re-checks before it takes one. */
	private wake(): void {
		for (let free = this.permitLimit - this.inUse; free > 0 && this.waiters.size > 0; free--) {
			const [first] = this.waiters;
			this.waiters.delete(first);
			first();
		}
	}
}
