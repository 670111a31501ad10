import { randomBytes } from 'node:crypto';

import { Redis, type RedisOptions } from 'ioredis';

import type { RedisLocation } from './budgetSettings';
import { ACQUIRE_LEASE, RELEASE_LEASES, RENEW_LEASES, STOP_WAITING } from './leaseScripts';

/** How long a first connection may take, and any command: Redis trouble must never hang a run. */
const CONNECT_TIMEOUT_MS = 1_500;
const COMMAND_TIMEOUT_MS = 1_500;
/** How long a refused process counts as waiting; a waiting one asks again well within it. */
export const WAITING_MS = 600;

export type AcquireResult =
	| { granted: true; live: number }
	| { granted: false; live: number; retryInMs: number; processes: number };

/** One account's keys and channels in Redis (the account part is a hash: no user, no password). */
export interface AccountKeys {
	/** Sorted set: a member per open socket of any process, scored by its expiry. */
	leases: string;
	/** Sorted set: the processes refused a lease lately, scored by when that stops counting. */
	waiting: string;
	/** Channel: leases were given back (waiting processes try again at once). */
	released: string;
	/**
	 * Channel: a process was refused, and the message is how many processes use the account; or
	 * 0: leases came back and none waits.
	 */
	wanted: string;
}

export function accountKeys(keyPrefix: string, accountHash: string): AccountKeys {
	return {
		leases: `${keyPrefix}leases:${accountHash}`,
		waiting: `${keyPrefix}waiting:${accountHash}`,
		released: `${keyPrefix}released:${accountHash}`,
		wanted: `${keyPrefix}wanted:${accountHash}`,
	};
}

interface LeaseCommands {
	nplAcquireLease(
		leases: string,
		waiting: string,
		released: string,
		member: string,
		limit: number,
		ttlMs: number,
		owner: string,
		wanted: string,
		waitingMs: number,
	): Promise<number[]>;
	nplRenewLeases(key: string, ttlMs: number, ...members: string[]): Promise<number>;
	nplReleaseLeases(
		leases: string,
		waiting: string,
		released: string,
		wanted: string,
		...members: string[]
	): Promise<number>;
	nplStopWaiting(waiting: string, owner: string, released: string, wanted: string): Promise<null>;
}

/** Something holding leases that the link renews on its timer. */
export interface LeaseHolder {
	renew(): Promise<void>;
}

/**
 * This process's connection to Redis for the budget: one command connection, one subscriber for
 * the "released" and "wanted" messages, one renewal timer for every lease held. It never queues a
 * command while disconnected (each fails at once, and the budget falls back) and reconnects in
 * the background, so the budget can use Redis again when it is back.
 */
export class RedisLink {
	/** Distinguishes this process's leases from every other's; random, so nothing about the host leaks. */
	readonly owner = `${process.pid}-${randomBytes(6).toString('hex')}`;
	private readonly commands: Redis & LeaseCommands;
	private readonly subscriber: Redis;
	private readonly firstConnection: Promise<void>;
	private readonly holders = new Set<LeaseHolder>();
	private readonly listeners = new Map<string, Set<(message: string) => void>>();
	private renewTimer: NodeJS.Timeout | null = null;
	private lastProblem = '';

	constructor(
		private readonly location: RedisLocation,
		readonly keyPrefix: string,
		readonly leaseMs: number,
	) {
		const options: RedisOptions = {
			connectTimeout: CONNECT_TIMEOUT_MS,
			commandTimeout: COMMAND_TIMEOUT_MS,
			enableOfflineQueue: false,
			maxRetriesPerRequest: 0,
			// Reconnect for ever, at most every 2 s: the budget comes back with Redis.
			retryStrategy: (times) => Math.min(200 * times, 2_000),
			connectionName: 'n8n-nodes-number-portability-lookup',
			...(location.url
				? {}
				: {
						host: location.host,
						port: location.port,
						db: location.db,
						username: location.username,
						password: location.password,
						...(location.tls ? { tls: {} } : {}),
					}),
		};
		this.commands = (
			location.url ? new Redis(location.url, options) : new Redis(options)
		) as Redis & LeaseCommands;
		this.commands.defineCommand('nplAcquireLease', { numberOfKeys: 3, lua: ACQUIRE_LEASE });
		this.commands.defineCommand('nplRenewLeases', { numberOfKeys: 1, lua: RENEW_LEASES });
		this.commands.defineCommand('nplReleaseLeases', { numberOfKeys: 2, lua: RELEASE_LEASES });
		this.commands.defineCommand('nplStopWaiting', { numberOfKeys: 1, lua: STOP_WAITING });
		this.commands.on('error', (error: Error) => this.noteProblem(error));
		this.firstConnection = new Promise<void>((resolve) => {
			const settle = () => {
				clearTimeout(timer);
				resolve();
			};
			const timer = setTimeout(settle, CONNECT_TIMEOUT_MS + 500);
			this.commands.once('ready', settle);
			this.commands.once('end', settle);
			this.commands.once('error', settle);
		});

		this.subscriber = this.commands.duplicate({ commandTimeout: undefined });
		this.subscriber.on('error', () => undefined);
		this.subscriber.on('ready', () => {
			void this.subscriber
				.psubscribe(`${keyPrefix}released:*`, `${keyPrefix}wanted:*`)
				.catch(() => undefined);
		});
		this.subscriber.on('pmessage', (_pattern: string, channel: string, message: string) => {
			for (const listener of this.listeners.get(channel) ?? []) listener(message);
		});
	}

	/** host:port/db, and the last error seen, for notices: never a user or password. */
	get where(): string {
		return this.location.where;
	}

	get problem(): string {
		return this.lastProblem || 'not connected';
	}

	/** Whether commands can be sent now; waits for the first connection attempt only. */
	async usable(): Promise<boolean> {
		if (this.commands.status !== 'ready') await this.firstConnection;
		return this.commands.status === 'ready';
	}

	async acquire(keys: AccountKeys, member: string, limit: number): Promise<AcquireResult> {
		const [granted, live, retryInMs, processes] = await this.commands.nplAcquireLease(
			keys.leases,
			keys.waiting,
			keys.released,
			member,
			limit,
			this.leaseMs,
			this.owner,
			keys.wanted,
			WAITING_MS,
		);
		return granted === 1
			? { granted: true, live }
			: { granted: false, live, retryInMs: Math.max(0, retryInMs), processes };
	}

	/** Extends `members`' leases; resolves with how many had vanished and were put back. */
	async renew(key: string, members: readonly string[]): Promise<number> {
		if (members.length === 0) return 0;
		return await this.commands.nplRenewLeases(key, this.leaseMs, ...members);
	}

	async release(keys: AccountKeys, members: readonly string[]): Promise<void> {
		if (members.length === 0) return;
		await this.commands.nplReleaseLeases(
			keys.leases,
			keys.waiting,
			keys.released,
			keys.wanted,
			...members,
		);
	}

	/** This process no longer waits for a lease of the account (it was refused one lately). */
	async stopWaiting(keys: AccountKeys): Promise<void> {
		await this.commands.nplStopWaiting(keys.waiting, this.owner, keys.released, keys.wanted);
	}

	/** Calls `listener` with each message on `channel` (released or wanted); returns how to stop. */
	listen(channel: string, listener: (message: string) => void): () => void {
		let listeners = this.listeners.get(channel);
		if (!listeners) this.listeners.set(channel, (listeners = new Set()));
		listeners.add(listener);
		return () => {
			listeners.delete(listener);
			if (listeners.size === 0) this.listeners.delete(channel);
		};
	}

	/** Renews `holder`'s leases every third of their lifetime until the returned function is called. */
	keepRenewed(holder: LeaseHolder): () => void {
		this.holders.add(holder);
		if (!this.renewTimer) {
			this.renewTimer = setInterval(
				() => {
					for (const each of this.holders) void each.renew();
				},
				Math.floor(this.leaseMs / 3),
			);
			// The timer alone must not keep a process (n8n execute, a test) alive.
			this.renewTimer.unref();
		}
		return () => {
			this.holders.delete(holder);
			if (this.holders.size === 0 && this.renewTimer) {
				clearInterval(this.renewTimer);
				this.renewTimer = null;
			}
		};
	}

	async close(): Promise<void> {
		if (this.renewTimer) clearInterval(this.renewTimer);
		this.renewTimer = null;
		await Promise.all([quit(this.commands), quit(this.subscriber)]);
	}

	private noteProblem(error: Error): void {
		let text = String(error?.message ?? error).slice(0, 200);
		if (this.location.password) text = text.split(this.location.password).join('***');
		this.lastProblem = text;
	}
}

/** QUIT when connected (bounded), else just drop the socket. */
async function quit(client: Redis): Promise<void> {
	if (client.status !== 'ready') {
		client.disconnect();
		return;
	}
	const timer = setTimeout(() => client.disconnect(), COMMAND_TIMEOUT_MS);
	try {
		await client.quit();
	} catch {
		client.disconnect();
	} finally {
		clearTimeout(timer);
	}
}
