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

/** The error an aborted wait rejects with: a DOMException named 'AbortError', as fetch's is. */
export function abortError(signal: AbortSignal): Error {
	const reason: unknown = signal.reason;
	if (reason instanceof Error && reason.name === 'AbortError') return reason;
	return new DOMException('The wait for a connection was aborted', 'AbortError');
}

/**
 * Waits for `subscribe` to call its wake function, or for `signal` to abort (then rejects with
 * an AbortError). `subscribe` returns how to unsubscribe, called either way, so a wait leaves
 * nothing behind (timers, listeners).
 */
export async function abortableWait(
	subscribe: (wake: () => void) => () => void,
	signal?: AbortSignal,
): Promise<void> {
	if (signal?.aborted) throw abortError(signal);
	await new Promise<void>((resolve, reject) => {
		let done = false;
		let unsubscribe: (() => void) | null = null;
		const finish = (error?: Error) => {
			if (done) return;
			done = true;
			signal?.removeEventListener('abort', onAbort);
			unsubscribe?.();
			if (error) reject(error);
			else resolve();
		};
		const onAbort = () => finish(abortError(signal!));
		signal?.addEventListener('abort', onAbort, { once: true });
		unsubscribe = subscribe(() => finish());
		// A wake during subscribe() came before unsubscribe existed.
		if (done) unsubscribe();
	});
}
