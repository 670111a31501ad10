import { AccountConnections } from './accountConnections';
import type { ConnectionBudget, ConnectionPermit } from './connectionBudget';
import { leasedPoolFactory } from './leasedPoolFactory';
import { NoticeLog } from './noticeLog';
import { FairShare } from './fairShare';
import { createProxyAwareConnection } from './proxyAwareDispatcher';
import { accountKeys, WAITING_MS, type RedisLink } from './redisLink';
import { SocketLeases } from './socketLeases';

/**
 * How long a process with nothing to send for the account keeps its idle sockets. Idle
 * sockets hold leases (the service counts them), so a worker that is done must hand them to the
 * workers still busy now, not after keep-alive; the grace only spares the reconnect between two
 * requests of one run.
 */
const IDLE_CLOSE_MS = 50;

/**
 * The account budget across processes. Inside this process it is AccountConnections as in
 * regular mode (one-socket connections, a permit per request, the run's Max Connections lowered
 * on rate limits); on top, every socket holds a lease in Redis, so the account's sockets across all
 * processes stay within the limit. When Redis cannot be used it carries on as the in-process
 * budget, says so in a notice, and takes leases again once Redis is back.
 */
export class RedisAccountConnections implements ConnectionBudget {
	private readonly local: AccountConnections;
	private readonly leases: SocketLeases;
	private readonly notices = new NoticeLog();
	private redisUsable = true;
	private idleTimer: NodeJS.Timeout | null = null;
	private readonly fairShare = new FairShare();

	constructor(
		private readonly link: RedisLink,
		accountHash: string,
	) {
		this.leases = new SocketLeases(
			link,
			accountKeys(link.keyPrefix, accountHash),
			() => this.local.accountLimit,
			{
				onRedisProblem: (what) => this.redisProblem(what),
				onRedisOk: () => this.redisBack(),
				onStall: () => this.stalled(),
				onWanted: (processes) => this.wanted(processes),
				onNobodyWaits: () => this.nobodyWaits(),
			},
		);
		const factory = leasedPoolFactory(this.leases);
		this.local = new AccountConnections(() => createProxyAwareConnection(factory));
	}

	get sharedAcrossProcesses(): boolean {
		return this.redisUsable;
	}

	join(maxConnections: number): () => void {
		const leave = this.local.join(maxConnections);
		return () => {
			leave();
			this.afterRelease();
		};
	}

	async acquire(signal?: AbortSignal): Promise<ConnectionPermit> {
		this.cancelIdleClose();
		let claimed = false;
		let permit: ConnectionPermit;
		try {
			// The wait for a lease happens here, abortable, rather than inside undici's connect.
			permit = await this.local.acquire(signal, async (admitSignal) => {
				await this.leases.claim(admitSignal);
				claimed = true;
			});
		} catch (error) {
			this.afterRelease();
			throw error;
		}
		let released = false;
		return {
			dispatcher: permit.dispatcher,
			release: () => {
				if (released) return;
				released = true;
				permit.release();
				if (claimed) this.leases.unclaim();
				this.afterRelease();
			},
		};
	}

	reportRateLimited(): void {
		this.local.reportRateLimited();
	}

	reportCleanAnswer(): void {
		this.local.reportCleanAnswer();
	}

	noticeCursor(): number {
		return this.notices.cursor();
	}

	noticesSince(since: number): string[] {
		return this.notices.since(since);
	}

	/** Test and diagnostic view: leases held, bound to sockets, and spare. */
	get leaseCounts(): SocketLeases['counts'] {
		return this.leases.counts;
	}

	async close(): Promise<void> {
		this.cancelIdleClose();
		await this.local.close();
		await this.leases.releaseAll();
	}

	private afterRelease(): void {
		this.leases.trim();
		if (this.local.demand > 0 || this.idleTimer) return;
		this.idleTimer = setTimeout(() => {
			this.idleTimer = null;
			if (this.local.demand === 0) this.local.closeIdleSockets();
		}, IDLE_CLOSE_MS);
		this.idleTimer.unref();
	}

	private cancelIdleClose(): void {
		if (this.idleTimer) clearTimeout(this.idleTimer);
		this.idleTimer = null;
	}

	/**
	 * A socket is connecting with no spare lease for it (rare: a connection's socket that closed
	 * left its lease spare for the next one). With the account full, that request would wait for
	 * another process; closing our idle sockets hands it their lease now.
	 */
	private stalled(): void {
		const { bound, claimed } = this.leases.counts;
		if (bound >= claimed) this.local.closeIdleSockets();
	}

	/**
	 * A process was refused a lease: keep no more than this process's share of the account (its
	 * limit divided among the processes using it, rounded up) while processes keep asking, and
	 * take turns at the remainder (FairShare). Sockets above the share close (idle ones now,
	 * busy ones once answered), so their leases go to the process that waits instead of idling
	 * here: busy workers run side by side, not one after the other.
	 */
	private wanted(processes: number): void {
		const { bound } = this.leases.counts;
		const share = this.fairShare.next(this.local.accountLimit, processes, bound);
		this.local.shareFor(share, WAITING_MS);
	}

	/** No process waits for this account any more: this one may use its whole limit again. */
	private nobodyWaits(): void {
		this.fairShare.reset();
		this.local.endShare();
	}

	private redisProblem(what: string): void {
		this.redisUsable = false;
		this.notices.add(
			`Redis at ${this.link.where} could not be used while ${what} (${this.link.problem}), so this n8n process counted the account's connections on its own: workers using the same account at the same time may together open more than the account allows, and the service may then answer ERR RATE_LIMIT_EXCEEDED (the node backs off and retries; no item is lost). Connections are counted across processes again once Redis is back.`,
			{ standing: true },
		);
	}

	private redisBack(): void {
		this.redisUsable = true;
		this.notices.add(
			`Redis at ${this.link.where} is reachable again: connections are counted across n8n processes again.`,
		);
	}
}
