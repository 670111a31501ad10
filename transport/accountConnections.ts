import type { Dispatcher } from 'undici';

import { abortableWait } from '../engine/budget/abortableWait';
import { RequestPermits } from '../engine/budget/requestPermits';
import type { ConnectionBudget, ConnectionPermit } from './connectionBudget';

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
export class AccountConnections extends RequestPermits implements ConnectionBudget {
	/** Open connections, the one used last first (the others' sockets then time out first). */
	private readonly connections: Connection[] = [];
	/** Connections closing: their sockets count with the service until they are shut. */
	private readonly closing = new Set<Promise<void>>();
	/** When the share below the limit ends (shareFor), else null. */
	private shareEnds: NodeJS.Timeout | null = null;

	/**
	 * `openConnection`: a dispatcher for one connection to the service (at most one socket).
	 * `configurationProblem`: why this is the in-process budget although Redis was asked for.
	 */
	constructor(
		private readonly openConnection: () => Dispatcher,
		private readonly configurationProblem?: string,
	) {
		super();
	}

	/**
	 * Keeps at most `cap` requests in flight and `cap` connections open for the next `forMs`
	 * (each call starts the time again): this process's share of the account while other
	 * processes wait for it (the Redis budget). Idle connections above the share close now.
	 */
	shareFor(cap: number, forMs: number): void {
		if (this.shareEnds) clearTimeout(this.shareEnds);
		this.shareEnds = setTimeout(() => this.endShare(), forMs);
		this.shareEnds.unref();
		this.setShare(cap);
		this.closeIdle(this.permitLimit);
	}

	/** Ends the share now (no other process waits any more): the limit applies again. */
	endShare(): void {
		if (!this.shareEnds) return;
		clearTimeout(this.shareEnds);
		this.shareEnds = null;
		this.setShare(null);
	}

	/** Connections open or closing (each holds a socket, or is about to, or has just had one). */
	get openConnections(): number {
		return this.connections.length + this.closing.size;
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
		await this.take(signal);
		let connection: Connection;
		try {
			if (admit) await admit(signal);
			connection = await this.connectionFor(signal);
		} catch (error) {
			this.give();
			throw error;
		}
		let released = false;
		return {
			dispatcher: connection.dispatcher,
			release: () => {
				if (released) return;
				released = true;
				connection.busy = false;
				// Above the limit or the share: this connection goes, the others carry on.
				if (this.connections.length > this.permitLimit) this.closeConnection(connection);
				this.give();
			},
		};
	}

	reportRateLimited(): void {
		super.reportRateLimited();
		this.closeIdle(this.permitLimit);
	}

	/**
	 * Closes the idle connections now (busy ones stay), so that a process with nothing to send
	 * gives its sockets back at once, not after keep-alive.
	 */
	closeIdleSockets(): void {
		this.closeIdle(0);
	}

	async close(): Promise<void> {
		if (this.shareEnds) clearTimeout(this.shareEnds);
		this.shareEnds = null;
		for (const connection of [...this.connections]) this.closeConnection(connection);
		await Promise.all(this.closing);
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
}
