import type { Dispatcher } from 'undici';

import {
	abortableWait,
	abortError,
	type ConnectionBudget,
	type ConnectionPermit,
} from './connectionBudget';

/** Max Connections' default, the service's documented limit per account. */
const DEFAULT_MAX_CONNECTIONS = 5;

/** One connection to the service: a dispatcher that opens one socket at most. */
interface Connection {
	dispatcher: Dispatcher;
	busy: boolean;
}

/**
 * One open-connection budget per account per process (regular mode; and, under the Redis
 * budget, this process's share in queue mode).
 *
 * The service counts open TCP connections per account, idle keep-alive ones included, and
 * refuses the one over its limit. So every execution in this process that uses the same
 * account (same base URL and user) shares its connections, and a permit is taken for each
 * request: requests in flight never exceed the limit, and neither do sockets, idle or not.
 *
 * Each connection is its own one-socket dispatcher, so the budget knows which ones are idle:
 * when the limit drops (a rate limit, or this process's share in queue mode) exactly the
 * connections above it close (idle ones now, busy ones once answered) while the others carry
 * on, instead of a whole pool draining before a smaller one opens.
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
	/** Open connections, the one used last first (the others' sockets then time out first). */
	private readonly connections: Connection[] = [];
	/** Connections closing: their sockets count with the service until they are shut. */
	private readonly closing = new Set<Promise<void>>();
	/** Requests in flight allowed below the limit for a while (shareFor), else null. */
	private share: { cap: number; ends: NodeJS.Timeout } | null = null;

	/**
	 * `openConnection`: a dispatcher for one connection to the service (at most one socket).
	 * `configurationProblem`: why this is the in-process budget although Redis was asked for.
	 */
	constructor(
		private readonly openConnection: () => Dispatcher,
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
	 * Keeps at most `cap` requests in flight and `cap` connections open for the next `forMs`
	 * (each call starts the time again): this process's share of the account while other
	 * processes wait for it (the Redis budget). Idle connections above the share close now.
	 */
	shareFor(cap: number, forMs: number): void {
		if (this.share) clearTimeout(this.share.ends);
		const ends = setTimeout(() => this.endShare(), forMs);
		ends.unref();
		this.share = { cap: Math.max(1, Math.floor(cap)), ends };
		this.closeIdle(this.permitLimit);
		this.wake();
	}

	/** Ends the share now (no other process waits any more): the limit applies again. */
	endShare(): void {
		if (!this.share) return;
		clearTimeout(this.share.ends);
		this.share = null;
		this.wake();
	}

	/** Requests allowed in flight now, and connections open: the limit, or this process's share. */
	private get permitLimit(): number {
		return Math.min(this.limit, this.share?.cap ?? Infinity);
	}

	get openPermits(): number {
		return this.inUse;
	}

	/** Connections open or closing (each holds a socket, or is about to, or has just had one). */
	get openConnections(): number {
		return this.connections.length + this.closing.size;
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
	 * Waits for a permit and gives it a connection: an idle one, else a new one while the
	 * connections open and closing stay under the limit. `admit`, when given, runs with the
	 * permit held and before the connection is chosen (the Redis budget waits there for its lease).
	 */
	async acquire(
		signal?: AbortSignal,
		admit?: (signal?: AbortSignal) => Promise<void>,
	): Promise<ConnectionPermit> {
		if (signal?.aborted) throw abortError(signal);
		while (this.inUse >= this.permitLimit) await this.waitForPermit(signal);
		this.inUse++;
		let connection: Connection;
		try {
			if (admit) await admit(signal);
			connection = await this.connectionFor(signal);
		} catch (error) {
			this.inUse--;
			this.wake();
			throw error;
		}
		let released = false;
		return {
			dispatcher: connection.dispatcher,
			release: () => {
				if (released) return;
				released = true;
				this.inUse--;
				connection.busy = false;
				// Above the limit or the share: this connection goes, the others carry on.
				if (this.connections.length > this.permitLimit) this.closeConnection(connection);
				this.wake();
			},
		};
	}

	reportRateLimited(): void {
		this.cleanStreak = 0;
		this.lowered = Math.max(1, this.limit - 1);
		this.closeIdle(this.permitLimit);
	}

	reportCleanAnswer(): void {
		if (this.lowered === null || ++this.cleanStreak < 10) return;
		this.cleanStreak = 0;
		this.lowered++;
		this.wake();
	}

	/**
	 * Closes the idle connections now (busy ones stay), so that a process with nothing to send
	 * gives its sockets back at once, not after keep-alive.
	 */
	closeIdleSockets(): void {
		this.closeIdle(0);
	}

	async close(): Promise<void> {
		if (this.share) clearTimeout(this.share.ends);
		this.share = null;
		for (const connection of [...this.connections]) this.closeConnection(connection);
		await Promise.all(this.closing);
	}

	private async waitForPermit(signal?: AbortSignal): Promise<void> {
		await abortableWait((wake) => {
			this.waiters.add(wake);
			return () => this.waiters.delete(wake);
		}, signal);
	}

	/**
	 * An idle connection (the one used last), else a new one, opened only while the account's
	 * connections, closing ones included, stay under the limit.
	 */
	private async connectionFor(signal?: AbortSignal): Promise<Connection> {
		for (;;) {
			const idle = this.connections.find((c) => !c.busy);
			if (idle) {
				this.connections.splice(this.connections.indexOf(idle), 1);
				this.connections.unshift(idle);
				idle.busy = true;
				return idle;
			}
			if (this.openConnections < this.limit || this.closing.size === 0) {
				const opened = { dispatcher: this.openConnection(), busy: true };
				this.connections.unshift(opened);
				return opened;
			}
			const closing = [...this.closing];
			await abortableWait((wake) => {
				let waiting = true;
				void Promise.race(closing).then(() => waiting && wake());
				return () => (waiting = false);
			}, signal);
		}
	}

	/** Closes idle connections, the ones used longest ago first, until `keep` are left. */
	private closeIdle(keep: number): void {
		for (let i = this.connections.length - 1; i >= 0 && this.connections.length > keep; i--) {
			const connection = this.connections[i];
			if (!connection.busy) this.closeConnection(connection);
		}
	}

	private closeConnection(connection: Connection): void {
		const at = this.connections.indexOf(connection);
		if (at === -1) return;
		this.connections.splice(at, 1);
		const closed: Promise<void> = connection.dispatcher
			.close()
			.catch(() => undefined)
			.then(() => {
				this.closing.delete(closed);
				this.wake();
			});
		this.closing.add(closed);
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
