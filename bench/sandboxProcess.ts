/**
 * Parent side of bench/sandboxChild.ts: a sandbox (sandbox/index.ts startSandbox) running in a
 * child process, with its ledger and request log summarised over IPC.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';

import type { SandboxOptionsInput } from '../sandbox';

/** The options that survive IPC (no log function). */
export type ChildSandboxOptions = Omit<SandboxOptionsInput, 'log'>;

export type ChildRequest =
	| { type: 'start'; options: ChildSandboxOptions }
	| { type: 'stats' }
	| { type: 'close' }
	| { type: 'exit' };

export interface SandboxStats {
	/** Every HTTP request the sandbox handled. */
	requests: number;
	lookupRequests: number;
	/** Numbers in lookup requests, resends included. */
	numbersSent: number;
	/** Requests by outcome ('ok', 'rate_limited', ...). */
	outcomes: Record<string, number>;
	/** The ledger's total for the account, in credits. */
	creditsCharged: number;
	/** Distinct numbers the ledger charged. */
	numbersCharged: number;
	/** Numbers charged more than once (any reason). */
	chargedMoreThanOnce: number;
	/** Numbers charged again after their result had been delivered (the node's promise: 0). */
	chargedTwiceForDeliveredResult: number;
	/** Date.now() of the first lookup request's arrival, and of the last answer's end. */
	firstRequestAt: number | null;
	lastAnswerAt: number | null;
	peakSockets: number;
	/** The child's own CPU time since it started, µs. */
	cpuMicros: NodeJS.CpuUsage;
	rssBytes: number;
}

export type ChildReply =
	| { type: 'ready' }
	| { type: 'started'; url: string }
	| { type: 'stats'; stats: SandboxStats }
	| { type: 'closed' }
	| { type: 'error'; message: string };

export class SandboxProcess {
	private readonly child: ChildProcess;
	private readonly replies: ChildReply[] = [];
	private waiting: { resolve: (reply: ChildReply) => void; reject: (error: Error) => void } | null = null;
	private exited: Error | null = null;

	private constructor() {
		this.child = fork(path.join(__dirname, 'sandboxChild.ts'), [], {
			execArgv: ['--import', 'tsx'],
			stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		});
		this.child.on('message', (message: ChildReply) => {
			if (this.waiting) {
				const { resolve } = this.waiting;
				this.waiting = null;
				resolve(message);
			} else {
				this.replies.push(message);
			}
		});
		this.child.on('exit', (code) => {
			this.exited = new Error(`the sandbox process exited (code ${code})`);
			this.waiting?.reject(this.exited);
			this.waiting = null;
		});
	}

	static async launch(): Promise<SandboxProcess> {
		const sandbox = new SandboxProcess();
		await sandbox.expect('ready');
		return sandbox;
	}

	/** Starts a fresh sandbox (closing the previous one); returns its /npl URL. */
	async start(options: ChildSandboxOptions): Promise<string> {
		this.child.send({ type: 'start', options } satisfies ChildRequest);
		const reply = await this.expect('started');
		return reply.url;
	}

	async stats(): Promise<SandboxStats> {
		this.child.send({ type: 'stats' } satisfies ChildRequest);
		return (await this.expect('stats')).stats;
	}

	async close(): Promise<void> {
		this.child.send({ type: 'close' } satisfies ChildRequest);
		await this.expect('closed');
	}

	async exit(): Promise<void> {
		if (this.exited) return;
		const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
		this.child.send({ type: 'exit' } satisfies ChildRequest);
		await gone;
	}

	private async expect<T extends ChildReply['type']>(type: T): Promise<Extract<ChildReply, { type: T }>> {
		const reply = await this.next();
		if (reply.type === 'error') throw new Error(`sandbox process: ${reply.message}`);
		if (reply.type !== type) throw new Error(`sandbox process: expected ${type}, got ${reply.type}`);
		return reply as Extract<ChildReply, { type: T }>;
	}

	private async next(): Promise<ChildReply> {
		const queued = this.replies.shift();
		if (queued) return queued;
		if (this.exited) throw this.exited;
		return await new Promise<ChildReply>((resolve, reject) => {
			this.waiting = { resolve, reject };
		});
	}
}
