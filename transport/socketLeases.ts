import type { Socket } from 'node:net';

import { abortableWait } from '../engine/budget/abortableWait';
import type { AccountKeys, LeaseHolder, RedisLink } from './redisLink';

/** Longest pause between two tries while the account is full (a release message usually comes first). */
const MAX_POLL_MS = 250;
/** How long after its last lease request a process that was refused one stops counting as waiting. */
const STOP_WAITING_AFTER_MS = 100;

/** What the leases report to their budget. */
export interface LeaseEvents {
	/** Redis could not be used; `what` says for what, the link says why. */
	onRedisProblem(what: string): void;
	/** A Redis call succeeded (after a problem: Redis is back). */
	onRedisOk(): void;
	/** A socket is about to wait for a lease while this process may hold an idle one. */
	onStall(): void;
	/** A process was refused a lease; `processes` use the account now (this one included). */
	onWanted(processes: number): void;
	/** Leases came back and no process waits for one: shares may end. */
	onNobodyWaits(): void;
}

/**
 * This process's leases on one account's connections, in Redis: one per open socket, plus
 * "spare" ones taken for a request before undici decides whether it needs a new socket, so
 * the wait for a lease happens while the request can still be aborted and no request ends up
 * tied to a socket that cannot connect. Every lease is held by this process's set: while Redis
 * cannot be used a socket still gets one (taken without asking), and the renewal puts it into
 * Redis when Redis is back, so the set in Redis keeps mirroring the open sockets.
 */
export class SocketLeases implements LeaseHolder {
	private readonly held = new Set<string>();
	private readonly spare: string[] = [];
	private bound = 0;
	/** Requests sent (or about to be) with a lease counted for them. */
	private claimed = 0;
	private stalls = 0;
	private nextId = 1;
	private readonly localWaiters = new Set<() => void>();
	/** Lease requests under way, and whether Redis counts this process as waiting (refused lately). */
	private asking = 0;
	private markedWaiting = false;
	private stopWaitingTimer: NodeJS.Timeout | null = null;
	/** Whether the last Redis call failed: then no call is made until the link is ready again. */
	private redisDown = false;
	private stopRenewing: (() => void) | null = null;
	private readonly stopHearingWanted: () => void;

	/** `limit()`: this process's limit for the account, sent with each lease request. */
	constructor(
		private readonly link: RedisLink,
		private readonly keys: AccountKeys,
		private readonly limit: () => number,
		private readonly events: LeaseEvents,
	) {
		this.stopHearingWanted = link.listen(keys.wanted, (message) => {
			const processes = Number(message);
			if (processes === 0) events.onNobodyWaits();
			else if (Number.isInteger(processes) && processes > 0) events.onWanted(processes);
		});
	}

	/** Leases held, bound to sockets, spare, claimed by requests; sockets that had to wait for one. */
	get counts(): { held: number; bound: number; spare: number; claimed: number; stalls: number } {
		return {
			held: this.held.size,
			bound: this.bound,
			spare: this.spare.length,
			claimed: this.claimed,
			stalls: this.stalls,
		};
	}

	/**
	 * Claims a lease for one request (a spare one, else a new one), waiting while the account is
	 * full, until `signal` aborts. Each request waits for its own lease only: a process never sits
	 * on leases it cannot use while it waits for more.
	 */
	async claim(signal?: AbortSignal): Promise<void> {
		const satisfied = () => this.held.size > this.claimed;
		while (!satisfied()) {
			const id = await this.obtain(satisfied, signal);
			if (id) this.spare.push(id);
		}
		this.claimed++;
	}

	/** The request's answer was read; its lease stays with its socket (or goes back). */
	unclaim(): void {
		this.claimed--;
		this.wakeLocal();
		this.trim();
	}

	/** A lease for a socket about to connect: a spare one, else a new one (waiting if needed). */
	async forSocket(): Promise<string> {
		for (;;) {
			const spare = this.spare.pop();
			if (spare) {
				this.bound++;
				return spare;
			}
			this.stalls++;
			this.events.onStall();
			const id = await this.obtain(() => this.spare.length > 0);
			if (id) {
				this.bound++;
				return id;
			}
		}
	}

	/** The socket holding `id` is open; its lease is spare again once it closes. */
	bind(id: string, socket: Socket): void {
		socket.once('close', () => this.unbind(id));
	}

	/** A lease that did not get a socket (connect failed, or its socket closed). */
	unbind(id: string): void {
		this.bound--;
		this.spare.push(id);
		this.wakeLocal();
		this.trim();
	}

	/** Gives back spare leases beyond the open sockets and the claims, so other processes can have them. */
	trim(): void {
		const gone: string[] = [];
		while (this.held.size > Math.max(this.bound, this.claimed) && this.spare.length > 0) {
			const id = this.spare.pop()!;
			this.held.delete(id);
			gone.push(id);
		}
		this.updateRenewal();
		if (gone.length === 0 || this.redisDown) return;
		// A release that fails costs nothing: the lease expires on its own.
		this.link.release(this.keys, gone).catch(() => undefined);
	}

	async renew(): Promise<void> {
		if (this.held.size === 0) return;
		if (!(await this.link.usable())) return this.redisProblem('renewing leases');
		try {
			await this.link.renew(this.keys.leases, [...this.held]);
			this.redisOk();
		} catch {
			this.redisProblem('renewing leases');
		}
	}

	/** Releases every lease (the budget is closing), bounded by the link's command timeout. */
	async releaseAll(): Promise<void> {
		this.stopHearingWanted();
		this.cancelStopWaiting();
		const all = [...this.held];
		this.held.clear();
		this.spare.length = 0;
		this.updateRenewal();
		if (!this.redisDown) await this.link.release(this.keys, all).catch(() => undefined);
	}

	/**
	 * One new lease, or null once `satisfied()` (another lease turned up meanwhile). Waits while
	 * the account is full, or while a process left out goes first: until a process says it
	 * released one (or stopped waiting), or the first lease's expiry, at most MAX_POLL_MS
	 * (jittered, so processes do not ask in step).
	 */
	private async obtain(satisfied: () => boolean, signal?: AbortSignal): Promise<string | null> {
		this.asking++;
		this.cancelStopWaiting();
		try {
			return await this.ask(satisfied, signal);
		} finally {
			this.asking--;
			if (this.asking === 0 && this.markedWaiting) this.stopWaitingSoon();
		}
	}

	/**
	 * Marked as waiting but no longer asking: a stale mark would hold the others back. Not at
	 * once, though: a request that took a lease freed here is usually followed by the next one,
	 * which asks again within milliseconds, and in between this process has not stopped waiting.
	 */
	private stopWaitingSoon(): void {
		this.stopWaitingTimer = setTimeout(() => {
			this.stopWaitingTimer = null;
			if (this.asking > 0 || !this.markedWaiting || this.redisDown) return;
			this.markedWaiting = false;
			this.link.stopWaiting(this.keys).catch(() => undefined);
		}, STOP_WAITING_AFTER_MS);
		this.stopWaitingTimer.unref();
	}

	private cancelStopWaiting(): void {
		if (this.stopWaitingTimer) clearTimeout(this.stopWaitingTimer);
		this.stopWaitingTimer = null;
	}

	private async ask(satisfied: () => boolean, signal?: AbortSignal): Promise<string | null> {
		for (;;) {
			if (satisfied()) return null;
			const id = `${this.link.owner}:${this.nextId++}`;
			let retryInMs: number;
			if (!(await this.link.usable())) {
				this.redisProblem('taking a lease');
				return this.take(id);
			}
			try {
				const result = await this.link.acquire(this.keys, id, this.limit());
				this.redisOk();
				this.markedWaiting = !result.granted;
				if (result.granted) return this.take(id);
				retryInMs = result.retryInMs;
			} catch {
				// The script may have run before the connection broke: the same id is renewed later.
				this.redisProblem('taking a lease');
				return this.take(id);
			}
			const pauseMs = Math.min(MAX_POLL_MS, retryInMs + 5) * (0.5 + Math.random() / 2);
			await abortableWait((wake) => {
				const timer = setTimeout(wake, pauseMs);
				const stopListening = this.link.listen(this.keys.released, wake);
				this.localWaiters.add(wake);
				return () => {
					clearTimeout(timer);
					stopListening();
					this.localWaiters.delete(wake);
				};
			}, signal);
		}
	}

	private wakeLocal(): void {
		for (const wake of this.localWaiters) wake();
	}

	private take(id: string): string {
		this.held.add(id);
		this.updateRenewal();
		return id;
	}

	private updateRenewal(): void {
		if (this.held.size > 0 && !this.stopRenewing) this.stopRenewing = this.link.keepRenewed(this);
		else if (this.held.size === 0 && this.stopRenewing) {
			this.stopRenewing();
			this.stopRenewing = null;
		}
	}

	private redisProblem(what: string): void {
		if (this.redisDown) return;
		this.redisDown = true;
		this.events.onRedisProblem(what);
	}

	private redisOk(): void {
		if (!this.redisDown) return;
		this.redisDown = false;
		this.events.onRedisOk();
	}
}
