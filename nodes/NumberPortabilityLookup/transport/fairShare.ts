/**
 * When the limit does not divide among the processes (5 among 3: 2, 2 and 1), a process above
 * the smaller share gives a socket back after this long, so the remainder goes round and no
 * worker falls behind the others for the whole batch.
 */
export const TAKE_TURNS_MS = 1_000;

/**
 * One process's share of an account while other processes wait for its connections: the limit
 * divided among the processes using it, rounded up, except that a process that has held more
 * than the smaller share for TAKE_TURNS_MS drops to it until it has given the socket back (the
 * news that others still wait comes every few hundred ms, faster than a busy socket frees up).
 */
export class FairShare {
	/** Since when this process has held more than the smaller share while others wait. */
	private aboveLeastSince: number | null = null;
	/** Its turn at the remainder is over: keep the smaller share until a socket has gone. */
	private givingBack = false;

	/** No process waits any more: the next wait starts afresh. */
	reset(): void {
		this.aboveLeastSince = null;
		this.givingBack = false;
	}

	/** The share to keep now, given the account's limit, the processes using it and the sockets held. */
	next(limit: number, processes: number, held: number, now = Date.now()): number {
		const least = Math.max(1, Math.floor(limit / processes));
		if (held <= least) {
			this.aboveLeastSince = null;
			this.givingBack = false;
		} else if (!this.givingBack) {
			this.aboveLeastSince ??= now;
			this.givingBack = now - this.aboveLeastSince >= TAKE_TURNS_MS;
		}
		return this.givingBack ? least : Math.max(1, Math.ceil(limit / processes));
	}
}
