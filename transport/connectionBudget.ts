import type { Dispatcher } from 'undici';

/** One request's right to use a connection of the account; release it when the answer is read. */
export interface ConnectionPermit {
	dispatcher: Dispatcher;
	release: () => void;
}

/**
 * The open-connection budget of one account. The in-process one (AccountConnections) counts
 * this process's sockets; the Redis one (RedisAccountConnections) also counts every other
 * process's, through a lease per socket. The engine sees neither: ServiceClient does.
 */
export interface ConnectionBudget {
	/** Registers a run with its Max Connections; call the returned function when it ends. */
	join(maxConnections: number): () => void;
	/**
	 * Waits for a permit; the dispatcher returned is one connection of the account's. Rejects with
	 * an error named 'AbortError' as soon as `signal` aborts (at once if it already has).
	 */
	acquire(signal?: AbortSignal): Promise<ConnectionPermit>;
	reportRateLimited(): void;
	reportCleanAnswer(): void;
	/** Whether connections of this account are counted across processes right now. */
	readonly sharedAcrossProcesses: boolean;
	/** Notices about coordination recorded after `since` (a value of noticeCursor()). */
	noticesSince(since: number): string[];
	noticeCursor(): number;
	close(): Promise<void>;
}
